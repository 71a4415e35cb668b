// AES-256-GCM for tokens at rest (R14, R16, R17). Format: "v1.<keyId>.<nonce>.<ciphertext+tag>"
// (base64url parts). A fresh 96-bit nonce per encryption; the key id travels with the ciphertext so
// rotation can add keys; the associated data binds a ciphertext to its owner (e.g. "page-token|org|page"),
// so a ciphertext copied into another tenant's row fails to decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

export class DecryptionError extends Error {
  constructor(reason: string) {
    super(`cannot decrypt: ${reason}`);
    this.name = 'DecryptionError';
  }
}

const VERSION = 'v1';
const TAG_BYTES = 16;

export class TokenCipher {
  constructor(private readonly keyring: Keyring) {}

  encrypt(plaintext: string, associatedData: string): string {
    const { id, key } = this.keyring.current;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, id, nonce.toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(sealed: string, associatedData: string): string {
    const [version, keyId, nonceText, bodyText, ...rest] = sealed.split('.');
    if (version !== VERSION || !keyId || !nonceText || !bodyText || rest.length > 0) {
      throw new DecryptionError('unknown format');
    }
    const key = this.keyring.byId.get(keyId);
    if (!key) throw new DecryptionError(`unknown key id ${keyId}`);
    const body = Buffer.from(bodyText, 'base64url');
    if (body.length < TAG_BYTES) throw new DecryptionError('truncated');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonceText, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(body.subarray(0, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new DecryptionError('authentication failed');
    }
  }

  /** The key id a ciphertext was sealed with; rotation re-encrypts those not under the current key. */
  keyIdOf(sealed: string): string | null {
    return sealed.split('.')[1] ?? null;
  }

  /**
   * Key rotation: the same plaintext sealed again under the current key (fresh nonce, same associated
   * data), or null when it already is. Throws DecryptionError like decrypt().
   */
  rewrap(sealed: string, associatedData: string): string | null {
    if (this.keyIdOf(sealed) === this.currentKeyId) return null;
    return this.encrypt(this.decrypt(sealed, associatedData), associatedData);
  }

  get currentKeyId(): string {
    return this.keyring.current.id;
  }
}
