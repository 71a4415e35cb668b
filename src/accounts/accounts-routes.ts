// /api/auth/* and /api/organization/members (CONTRACT §3). Handlers parse, call the service, reply.
// Signup and login spend the client address's attempt budget in onRequest, before the body is even
// read (credential-attempts.ts); password-reset and invitation-accept routes use the same hook.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  addMemberRequest,
  loginRequest,
  loginResponse,
  membersResponse,
  memberView,
  sessionView,
  signupRequest,
  twoFactorLoginRequest,
  updateMeRequest,
} from '../contract.ts';
import {
  clearSessionCookie,
  MANAGERS,
  requireRole,
  requireSession,
  setSessionCookie,
} from '../http/request-session.ts';
import type { CookiePolicy } from '../http/session-cookie.ts';
import {
  type AccountsService,
  type ClientInfo,
  SESSION_TTL_MS,
  type SessionContext,
  type SignedIn,
} from './accounts-service.ts';
import type { CredentialAttempts } from './credential-attempts.ts';
import type { TwoFactorService } from './two-factor-service.ts';

export interface AccountsRoutesOptions {
  accounts: AccountsService;
  twoFactor: TwoFactorService;
  cookies: CookiePolicy;
  attempts: CredentialAttempts;
}

export const view = (s: SignedIn | SessionContext) => ({
  user: s.user,
  organization: s.organization,
  role: s.role,
});

/** Where a request comes from, for the sessions list (request.ip honours TRUST_PROXY). */
export const clientOf = (request: FastifyRequest): ClientInfo => ({
  userAgent: request.headers['user-agent'] ?? null,
  address: request.ip,
});

export const accountsRoutes: FastifyPluginAsyncZod<AccountsRoutesOptions> = async (app, opts) => {
  const { accounts, twoFactor, cookies, attempts } = opts;
  const spendAttempt = async (request: FastifyRequest) => attempts.admit(request.ip);

  app.post(
    '/api/auth/signup',
    {
      schema: { tags: ['auth'], body: signupRequest, response: { 201: sessionView } },
      onRequest: spendAttempt,
    },
    async (request, reply) => {
      const signedIn = await accounts.signup(request.body, clientOf(request));
      setSessionCookie(reply, cookies, signedIn.token, SESSION_TTL_MS);
      return reply.code(201).send(view(signedIn));
    },
  );

  app.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], body: loginRequest, response: { 200: loginResponse } },
      onRequest: spendAttempt,
    },
    async (request, reply) => {
      const outcome = await accounts.login(request.body, clientOf(request));
      if ('twoFactorChallenge' in outcome) {
        return { two_factor_required: true as const, challenge: outcome.twoFactorChallenge };
      }
      setSessionCookie(reply, cookies, outcome.token, SESSION_TTL_MS);
      return view(outcome);
    },
  );

  app.post(
    '/api/auth/login/two-factor',
    {
      schema: { tags: ['auth'], body: twoFactorLoginRequest, response: { 200: sessionView } },
      onRequest: spendAttempt,
    },
    async (request, reply) => {
      const signedIn = await twoFactor.completeLogin(
        request.body.challenge,
        request.body.code,
        clientOf(request),
      );
      setSessionCookie(reply, cookies, signedIn.token, SESSION_TTL_MS);
      return view(signedIn);
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'] } }, async (request, reply) => {
    if (request.session) await accounts.logout(request.session);
    clearSessionCookie(reply, cookies);
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], response: { 200: sessionView } } }, async (request) =>
    view(requireSession(request, { duringTwoFactorSetup: true })),
  );

  app.patch(
    '/api/auth/me',
    { schema: { tags: ['auth'], body: updateMeRequest, response: { 200: sessionView } } },
    async (request) => view(await accounts.updateName(requireSession(request), request.body.name)),
  );

  app.get(
    '/api/organization/members',
    { schema: { tags: ['organization'], response: { 200: membersResponse } } },
    async (request) => ({ members: await accounts.listMembers(requireSession(request)) }),
  );

  app.post(
    '/api/organization/members',
    { schema: { tags: ['organization'], body: addMemberRequest, response: { 201: memberView } } },
    async (request, reply) => {
      const actor = requireRole(request, MANAGERS);
      return reply.code(201).send(await accounts.addMember(actor, request.body));
    },
  );
};
