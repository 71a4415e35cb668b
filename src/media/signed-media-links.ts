// Short-lived links to an agent's upload for Meta to fetch (the Send API's attachment `payload.url`),
// when the Attachment Upload API is not used: HMAC-SHA256 over the media id and expiry, keyed with a
// key derived from the session secret, valid 15 minutes. Meta fetches within seconds of the send.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNED_LINK_TTL_MS = 15 * 60_000;

export class SignedMediaLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly publicUrl: string,
    private readonly now: () => number,
  ) {
    this.key = createHmac('sha256', secret).update('parley media links v1').digest();
  }

  private sign(id: string, expires: string): string {
    return createHmac('sha256', this.key).update(`${id}.${expires}`).digest('base64url');
  }

  url(id: string): string {
    const expires = String(this.now() + SIGNED_LINK_TTL_MS);
    return `${this.publicUrl}/media/signed/${id}?expires=${expires}&signature=${this.sign(id, expires)}`;
  }

  verify(id: string, expires: string, signature: string): boolean {
    if (!/^\d{1,16}$/.test(expires) || Number(expires) < this.now()) return false;
    const want = Buffer.from(this.sign(id, expires));
    const got = Buffer.from(signature);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}
