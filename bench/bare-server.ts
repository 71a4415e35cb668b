// The ingestion baseline: a bare Fastify endpoint at the webhook path that reads the body as bytes (as
// the receiver does) and answers 200 — no signature, no storage, no logging. Run as its own process
// (`node --import tsx bench/bare-server.ts`, PORT from the environment) so it is measured exactly like
// the app.
import Fastify from 'fastify';
import { WEBHOOK_PATH } from '../test/support/webhook-client.ts';

const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.get('/healthz', async () => ({ status: 'ok' }));
app.post(WEBHOOK_PATH, async (_request, reply) =>
  reply.code(200).type('text/plain; charset=utf-8').send('EVENT_RECEIVED'),
);

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
