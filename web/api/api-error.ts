// The one error every /api call rejects with, carrying the server's `{"error": {"code", "message"}}`.
// `status` 0 means no HTTP answer arrived at all (offline, DNS, server down), which screens word as
// "try again" rather than "you can't do that".
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** Anything a request can throw, as an ApiError (a bug in our own code still gets a readable message). */
  static from(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    return new ApiError(0, 'unexpected', 'Something went wrong. Reload the page and try again.');
  }
}
