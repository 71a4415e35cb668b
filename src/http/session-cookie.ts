// The session cookie (CONTRACT §3, R9): HttpOnly, SameSite=Lax so it still reaches the OAuth callback
// after the top-level redirect from facebook.com, Secure and __Host- prefixed when PUBLIC_URL is https.
import type { CookieSerializeOptions } from '@fastify/cookie';

export interface CookiePolicy {
  secure: boolean;
  name(base: string): string;
  options(maxAgeSeconds?: number): CookieSerializeOptions;
}

export function cookiePolicy(publicUrl: string): CookiePolicy {
  const secure = publicUrl.startsWith('https://');
  return {
    secure,
    name: (base) => (secure ? `__Host-${base}` : base),
    options: (maxAgeSeconds) => ({
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      signed: true,
      ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
    }),
  };
}

export const SESSION_COOKIE = 'parley_session';
