// The step between a right password and a two-factor code: a random challenge handed to the browser,
// its hash in the shared Cache for 5 minutes with the user it stands for. Each wrong code spends one of
// 5 tries; after that the challenge is gone and the password must be entered again, so one password
// guess buys at most 5 code guesses (besides the per-address limits of credential-attempts.ts).
import { createHash, randomBytes } from 'node:crypto';
import type { Cache } from '../cache/cache.ts';
import { ChallengeExpiredError } from './account-errors.ts';

const TTL_MS = 5 * 60_000;
const MAX_TRIES = 5;

interface Challenge {
  userId: string;
  email: string;
  tries: number;
}

const key = (challenge: string) => `login-2fa:${createHash('sha256').update(challenge).digest('base64url')}`;

export class LoginChallenges {
  constructor(private readonly cache: Cache) {}

  async create(userId: string, email: string): Promise<string> {
    const challenge = randomBytes(32).toString('base64url');
    await this.cache.set(key(challenge), JSON.stringify({ userId, email, tries: 0 }), TTL_MS);
    return challenge;
  }

  async read(challenge: string): Promise<Challenge> {
    const raw = await this.cache.get(key(challenge));
    if (!raw) throw new ChallengeExpiredError();
    return JSON.parse(raw) as Challenge;
  }

  /** A wrong code: one try fewer, or the challenge ends. */
  async failed(challenge: string, current: Challenge): Promise<void> {
    if (current.tries + 1 >= MAX_TRIES) await this.cache.delete(key(challenge));
    else
      await this.cache.set(key(challenge), JSON.stringify({ ...current, tries: current.tries + 1 }), TTL_MS);
  }

  /** Spent: of two requests racing with the right code, one gets the session. */
  async consume(challenge: string): Promise<boolean> {
    return (await this.cache.getAndDelete(key(challenge))) !== null;
  }
}
