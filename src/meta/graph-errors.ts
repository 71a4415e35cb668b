// What a Graph call can fail with, as distinct classes carrying Meta's data (the Arctic model):
// Meta answered with its error envelope; the transport failed (no answer, or a timeout); or Meta
// answered something we cannot use (HTML, `{}`, truncated JSON, missing fields — R30).

export class GraphApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    readonly subcode: number | null,
    readonly type: string | null,
    readonly fbtraceId: string | null,
    message: string,
    readonly isTransient = false,
  ) {
    super(message);
    this.name = 'GraphApiError';
  }
}

export class GraphTransportError extends Error {
  constructor(
    /** 'connect': no request reached Meta, safe to resend; 'timeout': it may have been processed. */
    readonly kind: 'connect' | 'timeout' | 'network',
    cause: unknown,
  ) {
    super(`Graph API unreachable (${kind})`, { cause });
    this.name = 'GraphTransportError';
  }
}

export class GraphResponseError extends Error {
  constructor(
    readonly httpStatus: number,
    problem: string,
  ) {
    super(`unexpected Graph API response: ${problem}`);
    this.name = 'GraphResponseError';
  }
}

export type GraphError = GraphApiError | GraphTransportError | GraphResponseError;

/**
 * The caller's deadline left no room for (another) attempt: reported as a timeout, since for the
 * caller that is what it is, and so that status and retry decisions treat it as transient.
 */
export class GraphDeadlineError extends GraphTransportError {
  constructor(readonly endpoint: string) {
    super('timeout', new Error(`deadline reached before ${endpoint}`));
    this.name = 'GraphDeadlineError';
  }
}
