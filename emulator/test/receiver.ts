// A tiny real HTTP server playing the app's side for the emulator's tests: it answers Meta's
// verification GET, records webhook POSTs with their exact raw bytes, and records account callbacks.
// Its answers are scriptable (wrong echo, 500 then 200, …).
import Fastify, { type FastifyInstance } from 'fastify';

export interface ReceivedWebhook {
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  json: {
    object: string;
    entry: Array<{ id: string; time: number; messaging: Array<Record<string, unknown>> }>;
  };
}

export interface Receiver {
  url: string;
  webhookUrl: string;
  webhooks: ReceivedWebhook[];
  verifications: Record<string, string>[];
  callbacks: { path: string; contentType: string | undefined; form: Record<string, string> }[];
  /** How GET /webhook answers: echo the challenge, echo something else, or refuse. */
  verifyMode: 'echo' | 'wrong' | 'forbidden';
  /** Statuses for the next webhook POSTs, consumed in order; 200 when empty. */
  statuses: number[];
  waitFor(predicate: (r: Receiver) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(verifyToken: string): Promise<Receiver> {
  const app: FastifyInstance = Fastify();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
  const receiver: Receiver = {
    url: '',
    webhookUrl: '',
    webhooks: [],
    verifications: [],
    callbacks: [],
    verifyMode: 'echo',
    statuses: [],
    async waitFor(predicate, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(receiver)) {
        if (Date.now() > deadline) throw new Error('timed out waiting for the receiver');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () => app.close(),
  };

  app.get('/webhook', async (req, reply) => {
    const q = req.query as Record<string, string>;
    receiver.verifications.push(q);
    if (receiver.verifyMode === 'forbidden' || q['hub.verify_token'] !== verifyToken)
      return reply.code(403).send('no');
    return reply
      .type('text/plain')
      .send(receiver.verifyMode === 'echo' ? q['hub.challenge'] : 'not-the-challenge');
  });
  app.post('/webhook', async (req, reply) => {
    const raw = req.body as Buffer;
    receiver.webhooks.push({ headers: req.headers, raw, json: JSON.parse(raw.toString('utf8')) });
    return reply.code(receiver.statuses.shift() ?? 200).send('EVENT_RECEIVED');
  });
  app.post('/deauthorize', async (req) => {
    receiver.callbacks.push({
      path: '/deauthorize',
      contentType: req.headers['content-type'],
      form: req.body as Record<string, string>,
    });
    return '';
  });
  app.post('/data-deletion', async (req) => {
    receiver.callbacks.push({
      path: '/data-deletion',
      contentType: req.headers['content-type'],
      form: req.body as Record<string, string>,
    });
    return { url: 'https://app.example/deletion?id=abc123', confirmation_code: 'abc123' };
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  receiver.url = `http://127.0.0.1:${port}`;
  receiver.webhookUrl = `${receiver.url}/webhook`;
  return receiver;
}
