// Meta's account callbacks, on demand (reference §14): a form POST of `signed_request` to the app's
// Deauthorize or Data Deletion URL, signed with the app secret. Deauthorizing also does what removing
// the app does on Meta: every token of that user stops working (190/458).
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { type AccountCallbackResponse, accountCallbackBody } from '../control-contract.ts';
import { signedRequest } from '../webhook-signature.ts';

const TIMEOUT_MS = 10_000;

async function postSignedRequest(
  url: string,
  appSecret: string,
  payload: Record<string, unknown>,
): Promise<AccountCallbackResponse> {
  const signed = signedRequest(appSecret, payload);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ signed_request: signed }).toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    return {
      signed_request: signed,
      payload,
      status: res.status,
      content_type: res.headers.get('content-type'),
      body: await res.text(),
      error: null,
    };
  } catch (err) {
    const message =
      err instanceof Error
        ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}`
        : String(err);
    return { signed_request: signed, payload, status: null, content_type: null, body: null, error: message };
  }
}

export function registerControlCallbackRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const issuedAt = () => Math.floor(ctx.clock.now() / 1000);

  app.post('/_emulator/deauthorize', async (req) => {
    const body = accountCallbackBody.parse(req.body);
    ctx.world.tokens.revoke({ userId: body.user_id }, 458);
    ctx.world.grants.delete(body.user_id);
    const payload = { algorithm: 'HMAC-SHA256', issued_at: issuedAt(), user_id: body.user_id };
    return postSignedRequest(body.url, ctx.config.appSecret, payload);
  });

  app.post('/_emulator/data-deletion', async (req) => {
    const body = accountCallbackBody.parse(req.body);
    const now = issuedAt();
    const payload = { algorithm: 'HMAC-SHA256', expires: now + 3600, issued_at: now, user_id: body.user_id };
    return postSignedRequest(body.url, ctx.config.appSecret, payload);
  });
}
