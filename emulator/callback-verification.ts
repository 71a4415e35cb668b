// Meta's verification request before it accepts an app subscription (reference §8.1): a GET to the
// callback URL with hub.mode=subscribe, a numeric hub.challenge and the verify token; only a 200 whose
// body is exactly the challenge passes.
import { randomDigits } from './ids.ts';

const TIMEOUT_MS = 10_000;

export type VerificationResult = { ok: true } | { ok: false; detail: string };

export async function verifyCallback(callbackUrl: string, verifyToken: string): Promise<VerificationResult> {
  const challenge = randomDigits(10);
  const url = new URL(callbackUrl);
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', verifyToken);
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    return { ok: false, detail: `curl_errno = 7; curl_error = ${cause}` };
  }
  const body = await res.text().catch(() => '');
  if (res.status !== 200) {
    return {
      ok: false,
      detail: `HTTP Status Code = ${res.status}; HTTP Message = ${res.statusText || 'Error'}`,
    };
  }
  if (body !== challenge) {
    return {
      ok: false,
      detail: `The URL couldn't be validated. Response does not match challenge, expected value="${challenge}", received="${body.slice(0, 100)}"`,
    };
  }
  return { ok: true };
}
