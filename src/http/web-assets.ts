// Serves the built web app (dist/) and answers unknown paths: /api → JSON 404, other GETs → the app's
// index.html so client-side routes like /settings/tab/integrations load directly.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export async function registerWebAssets(app: FastifyInstance, distDir: string): Promise<void> {
  const root = resolve(distDir);
  const indexPath = join(root, 'index.html');
  const hasBuild = existsSync(indexPath);
  if (hasBuild) {
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      index: false,
      maxAge: '1h',
      immutable: false,
    });
  }
  const indexHtml = hasBuild ? readFileSync(indexPath) : null;

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    if (path.startsWith('/api/') || path === '/api' || request.method !== 'GET' || !indexHtml) {
      return reply.code(404).send({ error: { code: 'not_found', message: 'No such endpoint' } });
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
  });
}
