// The Pages waiting for the admin's choice (R22): server-side only, sealed with the token cipher,
// keyed to organization and user, 5 minutes, consumed by a successful choice. The Pages were listed with
// the short-lived user token (beside the long-lived exchange, to save a round trip), so their tokens
// would expire within the hour: the entry keeps no Page token, only the long-lived user token, with
// which the chosen Page's never-expiring token is asked for at choice time (R18: dropped with the list).
// Expiry is judged by the app's clock as well as the cache TTL, so tests need not sleep.
import type { Cache } from '../cache/cache.ts';
import type { PageWithInstagram } from '../meta/pages.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';

/** A Page as listed, without its (short-lived) token. */
export type ListedPage = Omit<PageWithInstagram, 'accessToken'>;

export const PENDING_TTL_MS = 5 * 60 * 1000;

export interface PendingPages {
  pages: ListedPage[];
  /** The long-lived user token, to fetch the chosen Page's token. */
  userToken: string;
  fbUserId: string | null;
  expiresAt: number;
  /** Grant-shrink warning: Pages this Facebook user connected that the new grant lacks. */
  droppedPages?: Array<{ id: string; name: string; same_organization: boolean }>;
}

const key = (orgId: string, userId: string) => `oauth:pending:${orgId}:${userId}`;
const choosingKey = (orgId: string, userId: string) => `oauth:choosing:${orgId}:${userId}`;
const aad = (orgId: string, userId: string) => `pending-pages|${orgId}|${userId}`;

export class PendingPagesStore {
  constructor(
    private readonly cache: Cache,
    private readonly cipher: TokenCipher,
    private readonly now: () => number,
  ) {}

  async save(
    orgId: string,
    userId: string,
    listing: { pages: PageWithInstagram[]; userToken: string; fbUserId: string | null },
    droppedPages: PendingPages['droppedPages'] = [],
  ) {
    const entry: PendingPages = {
      pages: listing.pages.map(({ accessToken: _dropped, ...page }) => page),
      userToken: listing.userToken,
      fbUserId: listing.fbUserId,
      expiresAt: this.now() + PENDING_TTL_MS,
      droppedPages,
    };
    const sealed = this.cipher.encrypt(JSON.stringify(entry), aad(orgId, userId));
    await this.cache.set(key(orgId, userId), sealed, PENDING_TTL_MS);
  }

  async load(orgId: string, userId: string): Promise<PendingPages | null> {
    return this.open(orgId, userId, await this.cache.get(key(orgId, userId)));
  }

  /**
   * Takes the list for one choice; of two concurrent choices only one gets it. The taker is marked as
   * choosing until `chosen()`, so a double submit can wait for its outcome instead of failing.
   */
  async take(orgId: string, userId: string): Promise<PendingPages | null> {
    const entry = this.open(orgId, userId, await this.cache.getAndDelete(key(orgId, userId)));
    if (entry) await this.cache.set(choosingKey(orgId, userId), '1', 30_000);
    return entry;
  }

  /** A new Facebook Login began its callback: the list an earlier one left is not to be offered again. */
  async discard(orgId: string, userId: string) {
    await this.cache.delete(key(orgId, userId));
  }

  async chosen(orgId: string, userId: string) {
    await this.cache.delete(choosingKey(orgId, userId));
  }

  async isChoosing(orgId: string, userId: string): Promise<boolean> {
    return (await this.cache.get(choosingKey(orgId, userId))) !== null;
  }

  async restore(orgId: string, userId: string, entry: PendingPages) {
    const ttl = entry.expiresAt - this.now();
    if (ttl <= 0) return;
    await this.cache.set(
      key(orgId, userId),
      this.cipher.encrypt(JSON.stringify(entry), aad(orgId, userId)),
      ttl,
    );
  }

  private open(orgId: string, userId: string, sealed: string | null): PendingPages | null {
    if (!sealed) return null;
    const entry = JSON.parse(this.cipher.decrypt(sealed, aad(orgId, userId))) as PendingPages;
    return entry.expiresAt > this.now() ? entry : null;
  }
}
