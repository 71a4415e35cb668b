// Loads the signed-in session for a request from the signed session cookie, and the guards that
// routes call: requireSession (401) and requireRole (403). When the organization requires two-factor
// sign-in, a member without it is held at its setup: requireSession answers 403 two_factor_required
// except on the few routes that pass `duringTwoFactorSetup` (/me, and the setup itself), so every other
// route is closed to them without having to remember it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, NotAuthenticatedError, TwoFactorRequiredError } from '../accounts/account-errors.ts';
import type { AccountsService, SessionContext } from '../accounts/accounts-service.ts';
import type { Role } from '../contract.ts';
import { type CookiePolicy, SESSION_COOKIE } from './session-cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionContext | null;
    sessionToken: string | null;
  }
}

export function sessionLoader(accounts: AccountsService, cookies: CookiePolicy) {
  return async function loadSession(request: FastifyRequest): Promise<void> {
    request.session = null;
    request.sessionToken = null;
    const raw = request.cookies[cookies.name(SESSION_COOKIE)];
    if (!raw) return;
    const unsigned = request.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return;
    request.session = await accounts.resolveSession(unsigned.value);
    request.sessionToken = request.session ? unsigned.value : null;
  };
}

/** The member must turn on two-factor sign-in before using anything else. */
export const needsTwoFactorSetup = (session: SessionContext) =>
  session.organization.require_two_factor && !session.user.two_factor_enabled;

export function requireSession(
  request: FastifyRequest,
  opts: { duringTwoFactorSetup?: boolean } = {},
): SessionContext {
  if (!request.session) throw new NotAuthenticatedError();
  if (!opts.duringTwoFactorSetup && needsTwoFactorSetup(request.session)) throw new TwoFactorRequiredError();
  return request.session;
}

export function requireRole(request: FastifyRequest, roles: readonly Role[]): SessionContext {
  const session = requireSession(request);
  if (!roles.includes(session.role)) throw new ForbiddenError();
  return session;
}

export const MANAGERS: readonly Role[] = ['owner', 'admin'];

export function setSessionCookie(
  reply: FastifyReply,
  cookies: CookiePolicy,
  token: string,
  maxAgeMs: number,
) {
  reply.setCookie(cookies.name(SESSION_COOKIE), token, cookies.options(Math.floor(maxAgeMs / 1000)));
}

export function clearSessionCookie(reply: FastifyReply, cookies: CookiePolicy) {
  reply.clearCookie(cookies.name(SESSION_COOKIE), cookies.options());
}
