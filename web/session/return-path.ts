// Where to go after logging in. The path travels in the login URL (`/login?next=…`), so anyone can
// craft it: only same-origin app paths are followed. `//evil.example` and `/\evil.example` start with
// a slash but browsers read both as another host, hence the URL-origin check rather than a prefix test.
export const HOME_PATH = '/inbox';

export function loginPathFor(intendedPath: string): string {
  if (intendedPath === '/' || intendedPath === HOME_PATH) return '/login';
  return `/login?next=${encodeURIComponent(intendedPath)}`;
}

export function safeReturnPath(next: string | null): string {
  if (!next?.startsWith('/')) return HOME_PATH;
  const origin = window.location.origin;
  const url = new URL(next, origin);
  if (url.origin !== origin || url.pathname === '/login' || url.pathname === '/signup') return HOME_PATH;
  return url.pathname + url.search + url.hash;
}
