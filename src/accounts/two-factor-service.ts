// Two-factor sign-in (issue 14): a member sets up TOTP (secret shown as a QR code and as text, sealed
// at rest with the token cipher and bound to the user by its associated data: R14, R17), confirms it
// with a first code and receives 10 single-use recovery codes, shown once and stored hashed. Login then
// stops at a challenge (login-challenges.ts) until a code or a recovery code is given; wrong codes count
// as failed logins for that address and account (credential-attempts.ts), and each accepted TOTP step
// is good once. Owners can require two-factor for the whole organization.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SessionEnds } from '../live/session-ends.ts';
import type { TokenCipher } from '../secrets/token-cipher.ts';
import type { DatabaseSchema } from '../storage/database-schema.ts';
import {
  ForbiddenError,
  InvalidCodeError,
  InvalidCredentialsError,
  TwoFactorStateError,
} from './account-errors.ts';
import { findUserById } from './accounts-repository.ts';
import type { AccountsService, ClientInfo, SessionContext, SignedIn } from './accounts-service.ts';
import type { CredentialAttempts } from './credential-attempts.ts';
import type { LoginChallenges } from './login-challenges.ts';
import type { PasswordHasher } from './password-hash.ts';
import { newTotpSecret, otpauthUrl, qrCodeDataUrl, verifyTotp } from './totp.ts';
import * as repo from './two-factor-repository.ts';

const RECOVERY_CODES = 10;
const aad = (userId: string) => `totp-secret|${userId}`;
const hashRecoveryCode = (code: string) =>
  createHash('sha256')
    .update(code.replace(/[^a-z0-9]/gi, '').toLowerCase())
    .digest('hex');

/** Ten groups of 5+5 base32 characters (50 bits each), easy to copy and to type. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const chars = [...randomBytes(10)].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export interface TwoFactorServiceDeps {
  db: Kysely<DatabaseSchema>;
  now: () => number;
  cipher: TokenCipher;
  hasher: PasswordHasher;
  attempts: CredentialAttempts;
  challenges: LoginChallenges;
  sessionEnds: SessionEnds;
  accounts: AccountsService;
}

export class TwoFactorService {
  constructor(private readonly d: TwoFactorServiceDeps) {}

  async setup(session: SessionContext) {
    if (session.user.two_factor_enabled) throw new TwoFactorStateError('Two-factor sign-in is already on');
    const secret = newTotpSecret();
    await repo.setPendingSecret(
      this.d.db,
      session.user.id,
      this.d.cipher.encrypt(secret, aad(session.user.id)),
    );
    const url = otpauthUrl(secret, session.user.email);
    return { secret, otpauth_url: url, qr_code: await qrCodeDataUrl(url) };
  }

  async enable(session: SessionContext, code: string): Promise<string[]> {
    const { db, cipher, now } = this.d;
    const user = await findUserById(db, session.user.id);
    if (!user?.totp_pending_sealed)
      throw new TwoFactorStateError('Start the set-up again: no key is waiting for a code');
    const step = verifyTotp(cipher.decrypt(user.totp_pending_sealed, aad(user.id)), code, now());
    if (step === null) throw new InvalidCodeError();
    const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
    await db.transaction().execute(async (tx) => {
      await repo.enable(tx, user.id, user.totp_pending_sealed!, step);
      await repo.replaceRecoveryCodes(tx, user.id, codes.map(hashRecoveryCode), now());
    });
    return codes;
  }

  async disable(session: SessionContext, password: string): Promise<void> {
    if (session.organization.require_two_factor) {
      throw new ForbiddenError('Your organization requires two-factor sign-in');
    }
    const user = await findUserById(this.d.db, session.user.id);
    const { ok } = await this.d.hasher.verify(password, user?.password_hash ?? null);
    if (!user || !ok) throw new InvalidCredentialsError();
    await repo.disable(this.d.db, user.id);
  }

  async setOrganizationRequirement(session: SessionContext, required: boolean) {
    if (session.role !== 'owner') throw new ForbiddenError('Only owners can require two-factor sign-in');
    if (required && !session.user.two_factor_enabled) {
      throw new TwoFactorStateError('Turn on two-factor sign-in for yourself first');
    }
    const orgId = session.organization.id;
    await repo.setRequireTwoFactor(this.d.db, orgId, required);
    if (required) {
      // Their open tabs are held at the setup at once: the stream's last message sends the web app to
      // /api/auth/me, which now says two-factor is required (requireSession refuses everything else).
      for (const userId of await repo.membersWithoutTwoFactor(this.d.db, orgId)) {
        await this.d.sessionEnds.user(orgId, userId);
      }
    }
    return { ...session.organization, require_two_factor: required };
  }

  /** The second step of a login: a TOTP code or an unused recovery code. */
  async completeLogin(challenge: string, code: string, client: ClientInfo): Promise<SignedIn> {
    const { db, cipher, now, attempts, challenges } = this.d;
    const address = client.address ?? '';
    const pending = await challenges.read(challenge);
    await attempts.assertLoginAllowed(address, pending.email);
    const user = await findUserById(db, pending.userId);
    if (!user?.totp_secret_sealed) throw new InvalidCodeError();
    let ok = false;
    const step = verifyTotp(cipher.decrypt(user.totp_secret_sealed, aad(user.id)), code, now());
    if (step !== null) ok = await repo.advanceStep(db, user.id, step);
    else if (/^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code.trim())) {
      ok = await repo.spendRecoveryCode(db, user.id, hashRecoveryCode(code), now());
    }
    if (!ok) {
      await attempts.loginFailed(address, pending.email);
      await challenges.failed(challenge, pending);
      throw new InvalidCodeError();
    }
    if (!(await challenges.consume(challenge))) throw new InvalidCodeError();
    await attempts.loginSucceeded(address, pending.email);
    return this.d.accounts.startSession(user.id, client);
  }
}
