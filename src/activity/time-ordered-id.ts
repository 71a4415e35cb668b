// Activity entries are listed newest first by (created_at, id). Entries written in the same millisecond
// — "chose the Page" and "connected" share one transaction's clock — need ids that sort in the order
// they were written, or the log shows the connection before the choice half the time. A UUIDv7 layout
// (RFC 9562): 48 bits of the entry's time, then a per-process counter for entries of the same
// millisecond in place of rand_a, then random bits.
import { randomBytes } from 'node:crypto';

let lastAt = -1;
let counter = 0;

export function timeOrderedId(at: number): string {
  if (at === lastAt) counter = (counter + 1) & 0xfff;
  else {
    lastAt = at;
    counter = 0;
  }
  const time = Math.max(0, Math.floor(at)).toString(16).padStart(12, '0').slice(-12);
  const rand = randomBytes(8);
  rand[0] = (rand[0]! & 0x3f) | 0x80; // RFC 9562 variant
  const tail = rand.toString('hex');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}-${tail.slice(0, 4)}-${tail.slice(4, 16)}`;
}
