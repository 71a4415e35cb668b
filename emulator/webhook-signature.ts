// Meta's signatures. Webhooks: `X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256(app secret, exact
// body bytes)>`. Account callbacks: `signed_request` = base64url(raw HMAC-SHA256 over the encoded
// payload) "." base64url(JSON payload), both unpadded (reference §8.2, §14).
import { createHmac } from 'node:crypto';

export function hubSignature(appSecret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

export function signedRequest(appSecret: string, payload: Record<string, unknown>): string {
  const encodedPayload = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const signature = createHmac('sha256', appSecret).update(encodedPayload).digest('base64url');
  return `${signature}.${encodedPayload}`;
}

/** What the app's test can recompute: Meta's appsecret_proof for a token. */
export function appsecretProof(appSecret: string, accessToken: string): string {
  return createHmac('sha256', appSecret).update(accessToken).digest('hex');
}
