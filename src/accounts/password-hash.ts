// Slow password hashing with scrypt (node:crypto, no native dependency). Stored as
// "scrypt$N$r$p$salt$hash", so the cost can rise without breaking old hashes: a login that verifies
// against weaker stored parameters reports `stale`, and the service stores a fresh hash.
// Cost: OWASP's minimum for scrypt is N=2^17, r=8, p=1 (128 MiB and ~0.3–0.5 s of CPU per hash). Deps
// may lower it for tests only. Every hash runs through HashingSlots (hashing-slots.ts).
import { randomBytes, type ScryptOptions, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { DEFAULT_SLOT_LIMITS, HashingSlots, type SlotLimits } from './hashing-slots.ts';

export interface HashCost {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_HASH_COST: HashCost = { N: 2 ** 17, r: 8, p: 1 };
const KEY_BYTES = 32;

export interface PasswordHashingOptions {
  cost?: HashCost;
  slots?: Partial<SlotLimits>;
}

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** scrypt needs 128·N·r bytes (plus 128·r·p); allow twice that so the check never refuses a valid cost. */
const maxmem = ({ N, r, p }: HashCost) => 2 * 128 * N * r + 128 * r * p + 1024 * 1024;

const format = (cost: HashCost, salt: Buffer, key: Buffer) =>
  ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');

export class PasswordHasher {
  readonly cost: HashCost;
  /** scrypt runs started so far (a refusal for a busy server or a rate limit starts none). */
  computed = 0;
  private readonly slots: HashingSlots;
  /** Unknown emails are checked against this, at the current cost, so timing does not tell them apart. */
  private readonly decoy: string;

  constructor(options: PasswordHashingOptions = {}) {
    this.cost = options.cost ?? DEFAULT_HASH_COST;
    this.slots = new HashingSlots({ ...DEFAULT_SLOT_LIMITS, ...(options.slots ?? {}) });
    // Random bytes in place of a key: verifying against it does the full work and never matches.
    this.decoy = format(this.cost, randomBytes(16), randomBytes(KEY_BYTES));
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const cost = this.cost;
    const key = await this.slots.run(() => {
      this.computed++;
      return scrypt(password, salt, KEY_BYTES, { ...cost, maxmem: maxmem(cost) });
    });
    return format(cost, salt, key);
  }

  /** `stale`: the password is right but was stored with weaker parameters than today's. */
  async verify(password: string, stored: string | null): Promise<{ ok: boolean; stale: boolean }> {
    const [scheme, n, r, p, saltText, keyText] = (stored ?? this.decoy).split('$');
    const cost = { N: Number(n), r: Number(r), p: Number(p) };
    if (scheme !== 'scrypt' || !saltText || !keyText || !Object.values(cost).every(Number.isInteger)) {
      return { ok: false, stale: false };
    }
    const expected = Buffer.from(keyText, 'base64url');
    const key = await this.slots.run(() => {
      this.computed++;
      return scrypt(password, Buffer.from(saltText, 'base64url'), expected.length, {
        ...cost,
        maxmem: maxmem(cost),
      });
    });
    const ok = stored !== null && key.length === expected.length && timingSafeEqual(key, expected);
    const stale = cost.N < this.cost.N || cost.r < this.cost.r || cost.p < this.cost.p;
    return { ok, stale: ok && stale };
  }
}
