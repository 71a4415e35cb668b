// Meta's `signed_request` (deauthorize and data-deletion callbacks, R49):
// base64url(HMAC-SHA256(app secret, payload part)) "." base64url(JSON payload), algorithm HMAC-SHA256.
// Verified in constant time; an unparseable, forged, wrong-algorithm or expired request is null.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const payloadSchema = z.object({
  algorithm: z.string(),
  user_id: z.string().regex(/^\d{1,32}$/),
  issued_at: z.number().int().optional(),
  expires: z.number().int().optional(),
});
export type SignedRequestPayload = z.infer<typeof payloadSchema>;

/** How old an issued_at may be; Meta sends callbacks at once, so a day covers its retries. */
const MAX_AGE_SECONDS = 24 * 3600;

export function verifySignedRequest(
  signedRequest: unknown,
  appSecret: string,
  nowMs: number,
): SignedRequestPayload | null {
  if (typeof signedRequest !== 'string' || signedRequest.length > 4096) return null;
  const dot = signedRequest.indexOf('.');
  if (dot <= 0 || dot === signedRequest.length - 1) return null;
  const encodedSig = signedRequest.slice(0, dot);
  const encodedPayload = signedRequest.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(encodedSig) || !/^[A-Za-z0-9_-]+={0,2}$/.test(encodedPayload))
    return null;
  const signature = Buffer.from(encodedSig, 'base64url');
  const expected = createHmac('sha256', appSecret).update(encodedPayload).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success || parsed.data.algorithm.toUpperCase() !== 'HMAC-SHA256') return null;
  const now = Math.floor(nowMs / 1000);
  if (parsed.data.expires !== undefined && parsed.data.expires < now) return null;
  if (parsed.data.issued_at !== undefined && parsed.data.issued_at < now - MAX_AGE_SECONDS) return null;
  return parsed.data;
}
