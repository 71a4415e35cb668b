// The control API's world management: reset, personas, state, revocation, Instagram relinks, faults, the call log, the
// clock and latency. JSON in, JSON out; bodies are checked with the zod schemas of control-contract.ts.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { EmulatorContext } from '../context.ts';
import {
  clockBody,
  faultBody,
  instagramLinkBody,
  latencyBody,
  personaBody,
  resetBody,
  revokeBody,
  usageBody,
} from '../control-contract.ts';
import { ControlError } from '../control-errors.ts';
import { faultView, personaView, stateView } from '../control-views.ts';

export function registerControlRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/_emulator/reset', async (req) => {
    const body = resetBody.parse(req.body ?? {});
    ctx.reset({
      latencyMs: body.latency_ms,
      webhookRetryDelaysMs: body.webhook_retry_delays_ms,
      autoDeliveryMs: body.auto_delivery_ms,
      autoReadMs: body.auto_read_ms,
    });
    return stateView(ctx);
  });

  app.post('/_emulator/personas', async (req, reply) => {
    const body = personaBody.parse(req.body);
    const ordinal = ctx.world.nextPersonaOrdinal();
    const key = body.key ?? `persona-${ordinal}`;
    if (ctx.world.personas.has(key)) throw new ControlError(409, `persona "${key}" already exists`);
    const persona = ctx.world.addPersona({
      key,
      name: body.name ?? `Test User ${ordinal}`,
      pageCount: body.pages,
      igRatio: body.ig_ratio,
      tasks: body.tasks,
      businessOnly: body.business_only,
    });
    return reply.code(201).send(personaView(persona));
  });

  app.get('/_emulator/state', async () => stateView(ctx));

  app.post('/_emulator/revoke', async (req) => {
    const body = revokeBody.parse(req.body);
    const revoked = ctx.world.tokens.revoke(
      { token: body.token, userId: body.user_id, pageId: body.page_id },
      body.subcode ?? 460,
    );
    return { revoked };
  });

  app.post('/_emulator/instagram-link', async (req) => {
    const body = instagramLinkBody.parse(req.body);
    if (!ctx.world.linkInstagram(body.ig_id, body.page_id)) {
      throw new ControlError(
        409,
        'unknown Instagram account or Page, or the Page has another account linked',
      );
    }
    return { ig_id: body.ig_id, page_id: body.page_id };
  });

  app.post('/_emulator/faults', async (req, reply) => {
    const body = faultBody.parse(req.body);
    const fault = ctx.faults.add({
      endpoint: body.endpoint,
      count: body.count,
      status: body.status,
      code: body.code,
      subcode: body.subcode,
      message: body.message,
      type: body.type,
      isTransient: body.is_transient,
      delayMs: body.delay_ms,
      garbage: body.garbage,
      networkDrop: body.network_drop,
    });
    return reply.code(201).send(faultView(fault));
  });
  app.get('/_emulator/faults', async () => ({ faults: ctx.faults.list().map(faultView) }));
  app.delete('/_emulator/faults', async () => ({ cleared: ctx.faults.clear() }));

  app.get('/_emulator/calls', async (req) => {
    const { endpoint } = z.object({ endpoint: z.string().optional() }).parse(req.query);
    const calls = ctx.calls.list().filter((c) => endpoint === undefined || c.endpoint === endpoint);
    return { calls };
  });

  app.post('/_emulator/clock', async (req) => {
    const body = clockBody.parse(req.body);
    return { now: ctx.clock.advance(body.advance_ms) };
  });

  app.post('/_emulator/usage', async (req) => {
    const body = usageBody.parse(req.body);
    const pinned =
      body.percent === null
        ? null
        : { percent: body.percent, regainMinutes: body.estimated_time_to_regain_access };
    if (body.page_id === undefined) ctx.usage.app = pinned;
    else if (pinned) ctx.usage.pages.set(body.page_id, pinned);
    else ctx.usage.pages.delete(body.page_id);
    return { app: ctx.usage.app, pages: Object.fromEntries(ctx.usage.pages) };
  });

  app.post('/_emulator/latency', async (req) => {
    ctx.tunables.latencyMs = latencyBody.parse(req.body).ms;
    return { latency_ms: ctx.tunables.latencyMs };
  });
}
