// GET /{v}/dialog/oauth shows the consent page (or Meta's error page); POST /{v}/dialog/oauth/confirm is
// the form's target and redirects back to the app with a code, or with access_denied on Cancel.
// Meta answers a bad request with a 200 error page, never a redirect; so do we.
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { consentPage, errorPage } from '../dialog-page.ts';
import { isRecord } from '../graph-params.ts';
import { approve, cancel, checkDialogRequest } from '../login-dialog.ts';

const list = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : [];

export function registerDialogRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/dialog/oauth', async (req, reply) => {
    const check = checkDialogRequest(ctx, isRecord(req.query) ? req.query : {});
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    if (!check.ok) return reply.send(errorPage(check.heading, check.message));
    return reply.send(consentPage(ctx, check.request));
  });

  app.post('/dialog/oauth/confirm', async (req, reply) => {
    const form = isRecord(req.body) ? req.body : {};
    const check = checkDialogRequest(ctx, form);
    reply.header('cache-control', 'no-store');
    if (!check.ok)
      return reply.type('text/html; charset=utf-8').send(errorPage(check.heading, check.message));
    if (form.action === 'cancel') return reply.redirect(cancel(check.request), 302);
    const result = approve(ctx, check.request, {
      personaKey: typeof form.persona === 'string' ? form.persona : '',
      pageIds: list(form.page_ids),
      grantedScopes: form.scope_choice === '1' ? list(form.granted_scopes) : null,
    });
    if (!result.ok) {
      return reply.code(400).type('text/html; charset=utf-8').send(errorPage(result.heading, result.message));
    }
    return reply.redirect(result.location, 302);
  });
}
