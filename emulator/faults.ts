// Armed failures for the next N calls of an endpoint: a delay, a dropped connection, a garbage body or
// a Meta error. Faults for one endpoint fire in the order they were added; '*' matches any endpoint.
import type { EndpointName } from './endpoints.ts';
import { GraphError } from './graph-errors.ts';

export interface FaultSpec {
  endpoint: EndpointName | '*';
  count: number;
  status?: number;
  code?: number;
  subcode?: number;
  message?: string;
  type?: string;
  isTransient?: boolean;
  delayMs?: number;
  garbage?: boolean;
  networkDrop?: boolean;
}

export interface Fault extends FaultSpec {
  id: number;
  remaining: number;
}

export class FaultQueue {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: this.nextId++, remaining: spec.count };
    this.faults.push(fault);
    return fault;
  }

  /** Consumes one firing of the first fault armed for this endpoint, if any. */
  take(endpoint: EndpointName): Fault | null {
    const fault = this.faults.find((f) => f.remaining > 0 && (f.endpoint === endpoint || f.endpoint === '*'));
    if (!fault) return null;
    fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    return fault;
  }

  list(): Fault[] {
    return [...this.faults];
  }

  clear(): number {
    const n = this.faults.length;
    this.faults = [];
    return n;
  }
}

/** A fault that only delays (no status, code or message) lets the call proceed normally afterwards. */
export function faultError(fault: Fault): GraphError | null {
  if (fault.status === undefined && fault.code === undefined && fault.message === undefined) return null;
  const status = fault.status ?? (fault.code === 1 || fault.code === 2 ? 500 : 400);
  const code = fault.code ?? defaultCodeFor(status);
  return new GraphError({
    status,
    code,
    subcode: fault.subcode,
    type: fault.type,
    message: fault.message ?? defaultMessageFor(code),
    isTransient:
      fault.isTransient ?? (code === 1 || code === 2 || code === 4 || code === 17 ? true : undefined),
  });
}

function defaultCodeFor(status: number): number {
  if (status === 429) return 4;
  if (status >= 500) return 2;
  return 1;
}

function defaultMessageFor(code: number): string {
  switch (code) {
    case 1:
      return 'An unknown error has occurred.';
    case 2:
      return '(#2) Service temporarily unavailable';
    case 4:
      return '(#4) Application request limit reached';
    case 17:
      return '(#17) User request limit reached';
    case 32:
      return '(#32) Page request limit reached';
    case 190:
      return 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';
    case 613:
      return '(#613) Calls to this api have exceeded the rate limit.';
    default:
      return `(#${code}) Injected error`;
  }
}
