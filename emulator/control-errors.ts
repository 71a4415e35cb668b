// A control-API request the emulator cannot honour (unknown Page, conflicting customer id…). app.ts maps
// it, and zod's validation errors, to `{error: {message}}` with this status.
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}
