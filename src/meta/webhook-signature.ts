// Verifies Meta's `X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256(app secret, raw body)>` over the
// exact bytes received (R34): Meta signs its escaped-unicode serialisation, so re-serialised JSON would
// not match. The comparison is constant time on equal-length buffers (R35); a missing header, the
// legacy sha1 scheme, another prefix, a malformed digest or the header sent twice is refused (R36).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

export type SignatureVerdict = 'valid' | 'missing' | 'duplicate' | 'malformed' | 'mismatch';

const DIGEST = /^sha256=([0-9a-f]{64})$/;

/**
 * `rawHeaders` is Node's flat [name, value, …] list: it still shows a header sent twice, which the
 * parsed `headers` object may have joined into one string.
 */
export function verifyHubSignature(
  appSecret: string,
  rawBody: Buffer,
  rawHeaders: readonly string[],
): SignatureVerdict {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === SIGNATURE_HEADER) values.push(rawHeaders[i + 1]!);
  }
  if (values.length === 0) return 'missing';
  if (values.length > 1) return 'duplicate';
  const match = DIGEST.exec(values[0]!.trim());
  if (!match) return 'malformed';
  const received = Buffer.from(match[1]!, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  // timingSafeEqual throws on a length mismatch; the regex fixes the length, this keeps it explicit.
  if (received.length !== expected.length) return 'mismatch';
  return timingSafeEqual(received, expected) ? 'valid' : 'mismatch';
}

/**
 * Constant-time comparison of two strings of possibly different lengths (the verify token, R37):
 * comparing fixed-length HMACs hides both the content and the length of the secret.
 */
export function safeEqualText(a: string, b: string): boolean {
  const key = 'parley-compare';
  return timingSafeEqual(
    createHmac('sha256', key).update(a).digest(),
    createHmac('sha256', key).update(b).digest(),
  );
}
