// Who is calling: the access token (query, form/JSON field or `Authorization: Bearer`) resolved to the
// app, a user or a Page, with "Require App Secret" enforced — every user or Page token call must carry
// appsecret_proof = hex(HMAC-SHA256(app secret, token)) (reference §11).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { EmulatorContext } from './context.ts';
import {
  accessTokenRequired,
  appTokenRequired,
  invalidProof,
  missingProof,
  pageTokenRequired,
} from './graph-errors.ts';
import { type GraphParams, isRecord, stringParam } from './graph-params.ts';
import type { Page } from './model.ts';
import { expiredToken, malformedToken, revokedToken } from './token-errors.ts';
import type { TokenRecord } from './tokens.ts';
import { appsecretProof } from './webhook-signature.ts';

export type Principal =
  | { kind: 'app' }
  | { kind: 'user'; token: TokenRecord }
  | { kind: 'page'; token: TokenRecord; page: Page };

export interface PresentedToken {
  value: string;
  source: 'query' | 'body' | 'header';
}

export function presentedToken(req: FastifyRequest): PresentedToken | null {
  const header = req.headers.authorization;
  const bearer = header?.match(/^(?:Bearer|OAuth)\s+(.+)$/i)?.[1];
  if (bearer) return { value: bearer.trim(), source: 'header' };
  const fromBody = isRecord(req.body) ? stringParam(req.body, 'access_token') : null;
  if (fromBody) return { value: fromBody, source: 'body' };
  const fromQuery = isRecord(req.query) ? stringParam(req.query, 'access_token') : null;
  if (fromQuery) return { value: fromQuery, source: 'query' };
  return null;
}

export function isAppToken(ctx: EmulatorContext, value: string): boolean {
  return value === `${ctx.config.appId}|${ctx.config.appSecret}` || ctx.appTokens.has(value);
}

/** Resolves a token without the proof check (debug_token inspects tokens it was not called with). */
export function resolveToken(ctx: EmulatorContext, value: string): Principal {
  if (isAppToken(ctx, value)) return { kind: 'app' };
  const token = ctx.world.tokens.get(value);
  if (!token) throw malformedToken();
  const state = ctx.world.tokens.state(token);
  if (state === 'revoked') throw revokedToken(token.revokedSubcode ?? 460, ctx.config.appId);
  if (state === 'expired') throw expiredToken(token.expiresAt ?? 0, ctx.clock.now());
  if (token.type === 'USER') return { kind: 'user', token };
  const page = token.pageId === null ? undefined : ctx.world.pages.get(token.pageId);
  if (!page) throw malformedToken();
  return { kind: 'page', token, page };
}

export function authenticate(ctx: EmulatorContext, req: FastifyRequest, params: GraphParams): Principal {
  const presented = presentedToken(req);
  if (!presented) throw accessTokenRequired();
  const principal = resolveToken(ctx, presented.value);
  const proof = stringParam(params, 'appsecret_proof');
  if (principal.kind !== 'app' && proof === null) throw missingProof();
  if (proof !== null && !proofMatches(proof, appsecretProof(ctx.config.appSecret, presented.value))) {
    throw invalidProof();
  }
  return principal;
}

export function requirePage(principal: Principal): { token: TokenRecord; page: Page } {
  if (principal.kind !== 'page') throw pageTokenRequired();
  return principal;
}

export function requireApp(principal: Principal): void {
  if (principal.kind !== 'app') throw appTokenRequired();
}

function proofMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
