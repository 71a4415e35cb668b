// Live-update latency (issue 12): one member changes conversations (PATCH /api/conversations/:id — an
// assignment or a status change, alternately) while another member's browser has GET /api/events open,
// possibly on another instance. Changes are sent at a fixed rate whatever the server does (open model),
// each on its own conversation, and a change's latency runs from its scheduled send time to the moment
// its `conversation.updated` event, showing the new value, arrives on the other member's stream.
import { type LatencySummary, summarize } from './stats.ts';

export interface LiveChange {
  conversationId: string;
  body: { status: 'open' | 'resolved' } | { assignee_id: string | null };
}

export interface LiveLatencyResult {
  changes: number;
  /** Changes whose PATCH did not answer 200, or whose event did not arrive within the timeout. */
  failed: number;
  rate: number;
  latencyMs: LatencySummary;
  patchMs: LatencySummary;
}

interface ConversationEvent {
  type: string;
  conversation?: { id: string; status: string; assignee: { id: string } | null };
}

/** Whether the event shows the change made. */
const shows = (e: ConversationEvent, change: LiveChange) => {
  if (e.type !== 'conversation.updated' || e.conversation?.id !== change.conversationId) return false;
  return 'status' in change.body
    ? e.conversation.status === change.body.status
    : (e.conversation.assignee?.id ?? null) === change.body.assignee_id;
};

export async function measureLiveLatency(o: {
  /** Where the changes are made (instance A), with the changing member's cookie. */
  patch: { origin: string; cookie: string };
  /** Where the other member's stream is open (instance B), with that member's cookie. */
  stream: { origin: string; cookie: string };
  changes: LiveChange[];
  rate: number;
  timeoutMs?: number;
}): Promise<LiveLatencyResult> {
  const timeoutMs = o.timeoutMs ?? 5_000;
  const abort = new AbortController();
  const res = await fetch(`${o.stream.origin}/api/events`, {
    headers: { cookie: o.stream.cookie, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (!res.ok || !res.body) throw new Error(`live stream refused: ${res.status}`);
  const pending = new Map<string, { change: LiveChange; scheduled: number }>();
  const latencies: number[] = [];
  let connected!: () => void;
  const live = new Promise<void>((r) => {
    connected = r;
  });
  const pump = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        const arrived = performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.includes(': connected')) connected();
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trimStart())
            .join('\n');
          if (!data) continue;
          const event = JSON.parse(data) as ConversationEvent;
          const id = event.conversation?.id;
          const p = id === undefined ? undefined : pending.get(id);
          if (p && shows(event, p.change)) {
            latencies.push(arrived - p.scheduled);
            pending.delete(id!);
          }
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  await Promise.race([
    live,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('live stream never said connected')), 10_000),
    ),
  ]);

  const patchTimes: number[] = [];
  let failed = 0;
  const sent: Array<Promise<void>> = [];
  const start = performance.now() + 20;
  for (const [i, change] of o.changes.entries()) {
    const scheduled = start + (i * 1000) / o.rate;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.set(change.conversationId, { change, scheduled });
    sent.push(
      fetch(`${o.patch.origin}/api/conversations/${change.conversationId}`, {
        method: 'PATCH',
        headers: { cookie: o.patch.cookie, 'content-type': 'application/json' },
        body: JSON.stringify(change.body),
      })
        .then(async (r) => {
          await r.arrayBuffer();
          patchTimes.push(performance.now() - scheduled);
          if (r.status !== 200) {
            failed++;
            pending.delete(change.conversationId);
          }
        })
        .catch(() => {
          failed++;
          pending.delete(change.conversationId);
        }),
    );
  }
  await Promise.allSettled(sent);
  const deadline = performance.now() + timeoutMs;
  while (pending.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  failed += pending.size;
  abort.abort();
  await pump;
  return {
    changes: o.changes.length,
    failed,
    rate: o.rate,
    latencyMs: summarize(latencies),
    patchMs: summarize(patchTimes),
  };
}
