// How big a run is. The full run is what the README quotes; BENCH_QUICK=1 is a smoke run (about 90 s) that
// exercises every path with small sizes and short loads — its figures are indicative only, and it writes
// quick.{json,md} so it never overwrites the full run's latest.{json,md}.
export interface Scale {
  quick: boolean;
  /** Databases parts 2 and 3 run on (BENCH_DATABASES=sqlite narrows a run while working on one). */
  databases: Array<'sqlite' | 'postgres'>;
  connect: {
    latencyMs: number;
    pages: number[];
    /** Callback timings per N (the median is reported). */
    repetitions: number;
    /** N values at which the seed's algorithm also runs (one repetition each: it is slow by design). */
    baselinePages: number[];
  };
  ingestion: {
    /** Organizations, each with one connected Page the deliveries are addressed to. */
    organizations: number;
    /** Closed-model maximum-throughput runs (autocannon). */
    maxDurationS: number;
    maxWarmupS: number;
    connections: number;
    /** Open-model runs: warm-up (not recorded), then the measured window. */
    openWarmupS: number;
    /** Single-event deliveries at `singleRate` (issue 15 target 1: 60 s). */
    openSingleDurationS: number;
    /** Batched deliveries at `batchRate`. */
    openDurationS: number;
    singleRate: number;
    batchRate: number;
    batchSize: number;
    /** Upper bound on waiting for the processor to work off the backlog between runs. */
    drainTimeoutS: number;
    /** A delivery not answered within this is counted as failed (Meta waits about 5–20 s). */
    requestTimeoutS: number;
  };
  inbox: {
    organizations: number;
    conversationsPerOrg: number;
    messagesPerConversation: number;
    rate: number;
    warmupS: number;
    durationS: number;
    /** Live-update latency: changes made, at this rate per second. */
    liveChanges: number;
    liveRate: number;
  };
}

export function scaleFromEnv(env: NodeJS.ProcessEnv): Scale {
  const quick = env.BENCH_QUICK === '1';
  const databases = (env.BENCH_DATABASES ?? 'sqlite,postgres')
    .split(',')
    .filter((d): d is 'sqlite' | 'postgres' => d === 'sqlite' || d === 'postgres');
  if (quick) {
    return {
      quick,
      databases,
      connect: { latencyMs: 50, pages: [1, 10, 100], repetitions: 1, baselinePages: [1, 10] },
      ingestion: {
        organizations: 2,
        maxDurationS: 0.75,
        maxWarmupS: 0.25,
        connections: 50,
        openWarmupS: 0.25,
        openSingleDurationS: 0.75,
        openDurationS: 0.75,
        singleRate: 1000,
        batchRate: 200,
        batchSize: 100,
        drainTimeoutS: 0.5,
        requestTimeoutS: 1.5,
      },
      inbox: {
        organizations: 2,
        conversationsPerOrg: 500,
        messagesPerConversation: 10,
        rate: 50,
        warmupS: 0.25,
        durationS: 1,
        liveChanges: 20,
        liveRate: 20,
      },
    };
  }
  return {
    quick,
    databases,
    // The seed at N = 500 makes 772 sequential calls (≈ 46 s at L = 50 ms); it is left out to keep the
    // run short, as the issue allows — the target compares at N = 100.
    connect: { latencyMs: 50, pages: [1, 10, 100, 500], repetitions: 3, baselinePages: [1, 10, 100] },
    ingestion: {
      organizations: 10,
      maxDurationS: 5,
      maxWarmupS: 1,
      connections: 50,
      openWarmupS: 2,
      // Issue 15 asks for the ack latency and the memory over a minute at 1,000/s: long enough for the
      // WAL to pass its checkpoint threshold and for the heap to settle, which 8 s were not.
      openSingleDurationS: 60,
      openDurationS: 8,
      singleRate: 1000,
      batchRate: 200,
      batchSize: 100,
      drainTimeoutS: 20,
      requestTimeoutS: 10,
    },
    inbox: {
      organizations: 10,
      conversationsPerOrg: 10_000,
      messagesPerConversation: 10,
      rate: 50,
      // Five seconds, not one: the first endpoint after the load (the list) and search (its own
      // index and functions, new to the app and to each pooled backend) were still working off their
      // start at 50/s when a one-second warm-up ended. On PostgreSQL the list's first 0.4 s measured took
      // 20–50 ms a request; search, timed first after the load in a scratch run, 500–800 ms for its
      // first 2.5 s. The figures are the steady state (issue 15, target 5).
      warmupS: 5,
      durationS: 12,
      liveChanges: 200,
      liveRate: 20,
    },
  };
}
