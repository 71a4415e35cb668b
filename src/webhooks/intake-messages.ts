// What the main thread and the intake worker (intake-worker.mjs) say to each other.
export interface IntakeRequest {
  seq: number;
  rows: Array<{ id: string; received_at: number; body: string; body_encoding: 'utf8' | 'base64' }>;
}

export type IntakeReply = { seq: number; ok: true } | { seq: number; ok: false; error: string };
