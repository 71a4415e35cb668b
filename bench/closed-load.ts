// Closed-model maximum throughput with autocannon: `connections` clients, each sending its next request
// as soon as the previous one is answered, for a fixed time. Used for "how many requests per second can
// this endpoint take at most" — the bare endpoint and the receiver are measured the same way, with the
// same bodies, so their ratio is fair. Latency under this model hides queueing (coordinated omission),
// so latency figures come from open-load.ts instead.
import autocannon from 'autocannon';
import type { SignedBody } from './webhook-bodies.ts';

export interface ClosedLoadResult {
  connections: number;
  durationS: number;
  ok: number;
  requestsPerS: number;
  non2xx: number;
  errors: number;
}

export async function closedLoad(o: {
  url: string;
  path: string;
  connections: number;
  durationS: number;
  timeoutS: number;
  next: () => SignedBody;
}): Promise<ClosedLoadResult> {
  const r = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationS,
    timeout: o.timeoutS,
    requests: [
      {
        method: 'POST',
        path: o.path,
        setupRequest: (request) => {
          const { body, signature } = o.next();
          return {
            ...request,
            body,
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
          };
        },
      },
    ],
  });
  return {
    connections: o.connections,
    durationS: r.duration,
    ok: r['2xx'],
    requestsPerS: Math.round(r['2xx'] / r.duration),
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}
