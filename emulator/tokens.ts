// Access tokens are opaque random strings; everything they mean lives here, server-side, as on Meta.
// Lifetimes follow the reference (§3): a code exchange yields a short-lived user token, fb_exchange_token
// a ~60-day one; a Page token derived from a long-lived user token never expires, one derived from a
// short-lived token lasts an hour. Revocation keeps the record so later calls can say why (190/460…).
import type { Clock } from './clock.ts';
import { accessTokenValue } from './ids.ts';
import type { Grant } from './model.ts';

export const SHORT_LIVED_SECONDS = 5400;
export const LONG_LIVED_SECONDS = 5_183_944;
const PAGE_FROM_SHORT_LIVED_MS = 3600_000;

export interface TokenRecord {
  value: string;
  type: 'USER' | 'PAGE';
  userId: string;
  pageId: string | null;
  grant: Grant;
  issuedAt: number;
  /** null = never expires. */
  expiresAt: number | null;
  longLived: boolean;
  /** The 190 subcode later calls answer with, once revoked. */
  revokedSubcode: number | null;
  /** Page tokens already derived from this user token, so listing Pages twice yields the same tokens. */
  derived: Map<string, TokenRecord>;
}

export type TokenState = 'valid' | 'expired' | 'revoked';

export interface RevokeFilter {
  token?: string;
  userId?: string;
  pageId?: string;
}

export class TokenStore {
  private readonly byValue = new Map<string, TokenRecord>();

  constructor(private readonly clock: Clock) {}

  issueUserToken(grant: Grant, longLived: boolean): TokenRecord {
    const seconds = longLived ? LONG_LIVED_SECONDS : SHORT_LIVED_SECONDS;
    return this.store({
      type: 'USER',
      userId: grant.userId,
      pageId: null,
      grant,
      expiresAt: this.clock.now() + seconds * 1000,
      longLived,
    });
  }

  /** The Page token a user token yields for one of its Pages (me/accounts, /{page}?fields=access_token). */
  pageTokenFor(userToken: TokenRecord, pageId: string): TokenRecord {
    const existing = userToken.derived.get(pageId);
    if (existing && this.state(existing) === 'valid') return existing;
    const token = this.store({
      type: 'PAGE',
      userId: userToken.userId,
      pageId,
      grant: userToken.grant,
      expiresAt: userToken.longLived ? null : this.clock.now() + PAGE_FROM_SHORT_LIVED_MS,
      longLived: userToken.longLived,
    });
    userToken.derived.set(pageId, token);
    return token;
  }

  get(value: string): TokenRecord | undefined {
    return this.byValue.get(value);
  }

  state(token: TokenRecord): TokenState {
    if (token.revokedSubcode !== null) return 'revoked';
    if (token.expiresAt !== null && this.clock.now() >= token.expiresAt) return 'expired';
    return 'valid';
  }

  revoke(filter: RevokeFilter, subcode: number): number {
    let count = 0;
    for (const token of this.byValue.values()) {
      const matches =
        (filter.token !== undefined && token.value === filter.token) ||
        (filter.userId !== undefined && token.userId === filter.userId) ||
        (filter.pageId !== undefined && token.pageId === filter.pageId);
      if (matches && token.revokedSubcode === null) {
        token.revokedSubcode = subcode;
        count++;
      }
    }
    return count;
  }

  all(): TokenRecord[] {
    return [...this.byValue.values()];
  }

  clear(): void {
    this.byValue.clear();
  }

  private store(fields: Omit<TokenRecord, 'value' | 'issuedAt' | 'revokedSubcode' | 'derived'>): TokenRecord {
    const token: TokenRecord = {
      ...fields,
      value: accessTokenValue(),
      issuedAt: this.clock.now(),
      revokedSubcode: null,
      derived: new Map(),
    };
    this.byValue.set(token.value, token);
    return token;
  }
}
