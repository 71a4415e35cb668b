// The one pipeline every Graph call goes through: log the call, add the configured latency, fire an
// armed fault, authenticate lazily, run the handler, and answer in Meta's shape — the escaped JSON
// body, the error envelope, and the headers Meta sends (trace id, API version, usage). Errors become
// HTTP here and nowhere else.
import type { FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { CallRecord } from './call-log.ts';
import type { EmulatorContext } from './context.ts';
import type { EndpointName } from './endpoints.ts';
import { faultError } from './faults.ts';
import { authenticate, type Principal, presentedToken } from './graph-auth.ts';
import { errorEnvelope, GraphError, unknownError, wwwAuthenticate } from './graph-errors.ts';
import { collectParams, type GraphParams } from './graph-params.ts';
import { traceId } from './ids.ts';
import { metaJson } from './meta-json.ts';
import { sleep } from './scheduler.ts';
import { appUsage, businessUseCaseUsage } from './usage-headers.ts';
import { requestBaseUrl, requestedVersion } from './versioning.ts';

export interface GraphCall {
  req: FastifyRequest;
  params: GraphParams;
  /** The version in the path, or the app's default for unversioned calls. */
  version: string;
  baseUrl: string;
  /** Authenticates on first use (appsecret_proof included) and remembers the answer. */
  auth(): Principal;
}

type EndpointResolver = EndpointName | ((req: FastifyRequest, params: GraphParams) => EndpointName);
type Work = (call: GraphCall) => unknown;

const GARBAGE_BODY =
  '<html><head><title>Error</title></head><body>Sorry, something went wrong.</body></html>';

export function graphRoute(ctx: EmulatorContext, endpoint: EndpointResolver, work: Work): RouteHandlerMethod {
  return async (req, reply) => {
    const params = collectParams(req);
    const name = typeof endpoint === 'function' ? endpoint(req, params) : endpoint;
    const version = requestedVersion(req) ?? ctx.config.defaultVersion;
    const record = ctx.calls.start({
      at: ctx.clock.now(),
      method: req.method,
      path: req.url.split('?')[0] ?? '/',
      version: requestedVersion(req),
      endpoint: name,
      auth: presentedToken(req)?.source ?? 'none',
      query: req.query,
      body: req.body,
    });
    if (ctx.tunables.latencyMs > 0) await sleep(ctx.tunables.latencyMs);

    const fault = ctx.faults.take(name);
    record.fault_id = fault?.id ?? null;
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.networkDrop) {
      record.status = 0;
      reply.hijack();
      req.raw.socket.destroy();
      return;
    }

    const trace = traceId();
    setMetaHeaders(reply, version, trace);
    if (fault?.garbage) {
      record.status = fault.status ?? 200;
      return reply.code(record.status).type('text/html; charset=utf-8').send(GARBAGE_BODY);
    }

    let principal: Principal | undefined;
    const call: GraphCall = {
      req,
      params,
      version,
      baseUrl: requestBaseUrl(req),
      auth() {
        principal ??= authenticate(ctx, req, params);
        noteCaller(record, principal);
        return principal;
      },
    };
    try {
      const injected = fault && faultError(fault);
      if (injected) throw injected;
      const body = await work(call);
      setUsageHeaders(ctx, reply, principal, name);
      record.status = 200;
      return reply.code(200).send(metaJson(body));
    } catch (err) {
      const graphError = err instanceof GraphError ? err : unknownError();
      if (!(err instanceof GraphError)) req.log.error({ err, endpoint: name }, 'emulator handler failed');
      setUsageHeaders(ctx, reply, principal, name);
      const challenge = wwwAuthenticate(graphError);
      if (challenge) reply.header('www-authenticate', challenge);
      record.status = graphError.status;
      return reply.code(graphError.status).send(metaJson(errorEnvelope(graphError, trace)));
    }
  };
}

export function setMetaHeaders(reply: FastifyReply, version: string, trace: string): void {
  reply
    .type('application/json; charset=UTF-8')
    .header('facebook-api-version', version)
    .header('x-fb-trace-id', trace)
    .header('x-fb-request-id', trace.slice(1, 12))
    .header('x-fb-rev', '1020304050')
    .header('cache-control', 'private, no-cache, no-store, must-revalidate')
    .header('pragma', 'no-cache')
    .header('expires', 'Sat, 01 Jan 2000 00:00:00 GMT')
    .header('access-control-allow-origin', '*');
}

function noteCaller(record: CallRecord, principal: Principal): void {
  record.token_type = principal.kind === 'app' ? 'APP' : principal.token.type;
  record.page_id = principal.kind === 'page' ? principal.page.id : null;
}

function setUsageHeaders(
  ctx: EmulatorContext,
  reply: FastifyReply,
  principal: Principal | undefined,
  endpoint: EndpointName,
): void {
  reply.header('x-app-usage', appUsage(ctx));
  if (principal?.kind === 'page') {
    reply.header('x-business-use-case-usage', businessUseCaseUsage(ctx, principal.page.id, endpoint));
  }
}
