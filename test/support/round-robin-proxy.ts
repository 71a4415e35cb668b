// A load balancer for tests: each incoming request goes to the next upstream in turn, bytes and headers
// unchanged (the webhook signature covers the exact body). It counts what each upstream received. An
// upstream that cannot be reached answers 502, as a real balancer would.
import http from 'node:http';

export interface RoundRobinProxy {
  url: string;
  /** Requests forwarded to each upstream, in the order given. */
  counts: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(upstreams: string[]): Promise<RoundRobinProxy> {
  const counts = upstreams.map(() => 0);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  const server = http.createServer((req, res) => {
    const i = next++ % upstreams.length;
    counts[i]!++;
    const target = new URL(req.url ?? '/', upstreams[i]);
    const upstream = http.request(target, { method: req.method, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    counts,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
}
