// Team and account management routes of CONTRACT §3 (issue 14): invitations, member roles and removal,
// passwords and reset links, two-factor sign-in, the organization's two-factor requirement and the
// sessions list. Handlers parse, call one service function and reply; the services hold the rules.
// Accepting an invitation and resetting a password spend the client address's credential budget in
// onRequest, like login (credential-attempts.ts); so does "Forgot password?", which sends mail.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  acceptInvitationRequest,
  accountSessionsResponse,
  changePasswordRequest,
  changeRoleRequest,
  forgotPasswordRequest,
  idParams,
  invitationCreatedResponse,
  invitationPreview,
  invitationsResponse,
  inviteRequest,
  memberResponse,
  organizationResponse,
  organizationSettingsRequest,
  passwordResetRequest,
  recoveryCodesResponse,
  resetLinkResponse,
  sessionView,
  tokenParams,
  twoFactorDisableRequest,
  twoFactorEnableRequest,
  twoFactorSetupResponse,
  userIdParams,
} from '../contract.ts';
import { requireSession, setSessionCookie } from '../http/request-session.ts';
import type { CookiePolicy } from '../http/session-cookie.ts';
import type { AccountSessionsService } from './account-sessions-service.ts';
import { clientOf, view } from './accounts-routes.ts';
import { SESSION_TTL_MS } from './accounts-service.ts';
import type { CredentialAttempts } from './credential-attempts.ts';
import type { InvitationsService } from './invitations-service.ts';
import type { MembersService } from './members-service.ts';
import type { PasswordsService } from './passwords-service.ts';
import type { TwoFactorService } from './two-factor-service.ts';

export interface TeamRoutesOptions {
  invitations: InvitationsService;
  members: MembersService;
  passwords: PasswordsService;
  twoFactor: TwoFactorService;
  sessions: AccountSessionsService;
  cookies: CookiePolicy;
  attempts: CredentialAttempts;
}

export const teamRoutes: FastifyPluginAsyncZod<TeamRoutesOptions> = async (app, opts) => {
  const { invitations, members, passwords, twoFactor, sessions, cookies, attempts } = opts;
  const spendAttempt = async (request: FastifyRequest) => attempts.admit(request.ip);
  const org = ['organization'];
  const auth = ['auth'];

  // ---- invitations ----
  app.post(
    '/api/organization/invitations',
    { schema: { tags: org, body: inviteRequest, response: { 201: invitationCreatedResponse } } },
    async (request, reply) => {
      const { invitation } = await invitations.invite(requireSession(request), request.body);
      return reply.code(201).send({ invitation });
    },
  );
  app.get(
    '/api/organization/invitations',
    { schema: { tags: org, response: { 200: invitationsResponse } } },
    async (request) => ({ invitations: await invitations.list(requireSession(request)) }),
  );
  app.delete(
    '/api/organization/invitations/:id',
    { schema: { tags: org, params: idParams } },
    async (request, reply) => {
      await invitations.revoke(requireSession(request), request.params.id);
      return reply.code(204).send();
    },
  );
  app.get(
    '/api/invitations/:token',
    { schema: { tags: org, params: tokenParams, response: { 200: invitationPreview } } },
    async (request) => invitations.preview(request.params.token),
  );
  app.post(
    '/api/invitations/:token/accept',
    {
      schema: {
        tags: org,
        params: tokenParams,
        body: acceptInvitationRequest,
        response: { 201: sessionView },
      },
      onRequest: spendAttempt,
    },
    async (request, reply) => {
      const signedIn = await invitations.accept(request.params.token, request.body, clientOf(request));
      setSessionCookie(reply, cookies, signedIn.token, SESSION_TTL_MS);
      return reply.code(201).send(view(signedIn));
    },
  );

  // ---- members ----
  app.patch(
    '/api/organization/members/:user_id',
    {
      schema: { tags: org, params: userIdParams, body: changeRoleRequest, response: { 200: memberResponse } },
    },
    async (request) => ({
      member: await members.changeRole(requireSession(request), request.params.user_id, request.body.role),
    }),
  );
  app.delete(
    '/api/organization/members/:user_id',
    { schema: { tags: org, params: userIdParams } },
    async (request, reply) => {
      await members.remove(requireSession(request), request.params.user_id);
      return reply.code(204).send();
    },
  );
  app.post(
    '/api/organization/members/:user_id/password-reset',
    { schema: { tags: org, params: userIdParams, response: { 201: resetLinkResponse } } },
    async (request, reply) =>
      reply.code(201).send(await passwords.issueForMember(requireSession(request), request.params.user_id)),
  );
  app.patch(
    '/api/organization',
    { schema: { tags: org, body: organizationSettingsRequest, response: { 200: organizationResponse } } },
    async (request) => ({
      organization: await twoFactor.setOrganizationRequirement(
        requireSession(request),
        request.body.require_two_factor,
      ),
    }),
  );

  // ---- passwords ----
  app.post(
    '/api/auth/password',
    { schema: { tags: auth, body: changePasswordRequest } },
    async (request, reply) => {
      await passwords.change(requireSession(request), request.body);
      return reply.code(204).send();
    },
  );
  app.post(
    '/api/auth/password-reset',
    { schema: { tags: auth, body: passwordResetRequest }, onRequest: spendAttempt },
    async (request, reply) => {
      await passwords.reset(request.body);
      return reply.code(204).send();
    },
  );
  app.post(
    '/api/auth/password-reset/request',
    { schema: { tags: auth, body: forgotPasswordRequest }, onRequest: spendAttempt },
    async (request, reply) => {
      await passwords.forgot(request.body.email);
      return reply.code(202).send({});
    },
  );

  // ---- two-factor ----
  app.post(
    '/api/auth/two-factor/setup',
    { schema: { tags: auth, response: { 200: twoFactorSetupResponse } } },
    async (request) => twoFactor.setup(requireSession(request, { duringTwoFactorSetup: true })),
  );
  app.post(
    '/api/auth/two-factor/enable',
    { schema: { tags: auth, body: twoFactorEnableRequest, response: { 200: recoveryCodesResponse } } },
    async (request) => ({
      recovery_codes: await twoFactor.enable(
        requireSession(request, { duringTwoFactorSetup: true }),
        request.body.code,
      ),
    }),
  );
  app.post(
    '/api/auth/two-factor/disable',
    { schema: { tags: auth, body: twoFactorDisableRequest } },
    async (request, reply) => {
      await twoFactor.disable(requireSession(request), request.body.password);
      return reply.code(204).send();
    },
  );

  // ---- sessions ----
  app.get(
    '/api/auth/sessions',
    { schema: { tags: auth, response: { 200: accountSessionsResponse } } },
    async (request) => ({ sessions: await sessions.list(requireSession(request)) }),
  );
  app.delete(
    '/api/auth/sessions/:id',
    {
      schema: {
        tags: auth,
        params: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, 'not a session id') }),
      },
    },
    async (request, reply) => {
      await sessions.signOut(requireSession(request), request.params.id);
      return reply.code(204).send();
    },
  );
};
