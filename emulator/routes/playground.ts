// GET / — the play-the-customer page (see playground-page.ts).
import type { FastifyInstance } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { escapeHtml } from '../html.ts';
import { playgroundPage } from '../playground-page.ts';

export function registerPlaygroundRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const page = playgroundPage(escapeHtml(ctx.config.appName));
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
}
