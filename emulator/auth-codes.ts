// Authorization codes from the login dialog: single use, ten minutes of emulator time, and bound to the
// exact redirect_uri of the dialog request. The order of checks matters to the app: a replayed code
// (double callback) must say 36009 even when it has also expired.
import type { Clock } from './clock.ts';
import { authorizationCodeValue } from './ids.ts';
import type { Grant } from './model.ts';

const CODE_TTL_MS = 10 * 60_000;

interface AuthCode {
  redirectUri: string;
  grant: Grant;
  issuedAt: number;
  used: boolean;
}

export type RedeemResult =
  | { ok: true; grant: Grant }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'redirect_mismatch' };

export class CodeStore {
  private readonly codes = new Map<string, AuthCode>();

  constructor(private readonly clock: Clock) {}

  issue(grant: Grant, redirectUri: string): string {
    const value = authorizationCodeValue();
    this.codes.set(value, { redirectUri, grant, issuedAt: this.clock.now(), used: false });
    return value;
  }

  redeem(value: string, redirectUri: string | null): RedeemResult {
    const code = this.codes.get(value);
    if (!code) return { ok: false, reason: 'unknown' };
    if (code.used) return { ok: false, reason: 'used' };
    if (this.clock.now() - code.issuedAt >= CODE_TTL_MS) return { ok: false, reason: 'expired' };
    if (redirectUri !== code.redirectUri) return { ok: false, reason: 'redirect_mismatch' };
    code.used = true;
    return { ok: true, grant: code.grant };
  }

  clear(): void {
    this.codes.clear();
  }
}
