// POST /integrations/meta-messaging/deauthorize and /data-deletion (CONTRACT §5): form posts from Meta
// with a `signed_request`; 400 unless it verifies. GET …/data-deletion/status?code= is the status page
// that the deletion answer points people to. Form bodies are parsed in this plugin's scope only: nowhere
// else does the app accept what a cross-site HTML form can send (CONTRACT §3, R25).
import fastifyFormbody from '@fastify/formbody';
import type { FastifyPluginAsync } from 'fastify';
import { verifySignedRequest } from '../meta/signed-request.ts';
import {
  type AccountCallbackDeps,
  deauthorize,
  deleteUserData,
  findDeletionRequest,
} from './account-callbacks.ts';

export interface AccountCallbackRoutesOptions extends AccountCallbackDeps {
  appSecret: string;
  publicUrl: string;
}

const BASE = '/integrations/meta-messaging';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const accountCallbackRoutes: FastifyPluginAsync<AccountCallbackRoutesOptions> = async (app, opts) => {
  await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
  const verified = (body: unknown) => {
    const signed = (body as { signed_request?: unknown } | undefined)?.signed_request;
    return verifySignedRequest(signed, opts.appSecret, opts.now());
  };
  const invalid = {
    error: { code: 'invalid_signed_request', message: 'signed_request is missing or invalid' },
  };

  app.post(`${BASE}/deauthorize`, { schema: { hide: true } }, async (request, reply) => {
    const payload = verified(request.body);
    if (!payload) {
      request.log.warn('deauthorize callback with an invalid signed_request');
      return reply.code(400).send(invalid);
    }
    await deauthorize(opts, payload.user_id);
    return { success: true };
  });

  app.post(`${BASE}/data-deletion`, { schema: { hide: true } }, async (request, reply) => {
    const payload = verified(request.body);
    if (!payload) {
      request.log.warn('data deletion callback with an invalid signed_request');
      return reply.code(400).send(invalid);
    }
    const code = await deleteUserData(opts, payload.user_id);
    return { url: `${opts.publicUrl}${BASE}/data-deletion/status?code=${code}`, confirmation_code: code };
  });

  app.get(`${BASE}/data-deletion/status`, { schema: { hide: true } }, async (request, reply) => {
    const code = (request.query as { code?: unknown }).code;
    const found = typeof code === 'string' ? await findDeletionRequest(opts.db, code) : null;
    const body = found
      ? `<p>Deletion request <strong>${escapeHtml(found.confirmation_code)}</strong> was received on
         ${new Date(found.requested_at).toUTCString()} and is complete.</p>
         <p>${found.deleted_connections} Page connection(s) made with your Facebook account, and their access
         tokens, were deleted${
           found.deleted_connections
             ? `: ${(JSON.parse(found.deleted_pages) as string[]).map(escapeHtml).join(', ')}`
             : ''
         }.</p>
         <p>Conversations that customers had with those Pages belong to the businesses that run them and are
         kept by those businesses.</p>`
      : '<p>No deletion request has this confirmation code.</p>';
    return reply
      .code(found ? 200 : 404)
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley — data deletion</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>Data deletion status</h1>${body}</body></html>`);
  });
};
