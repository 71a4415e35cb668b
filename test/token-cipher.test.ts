// R14, R16, R17: AES-256-GCM with a fresh nonce, a key id, associated data, and rotation.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { parseKeyring } from '../src/secrets/keyring.ts';
import { DecryptionError, TokenCipher } from '../src/secrets/token-cipher.ts';

const keySpec = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

describe('token cipher (R14, R16, R17)', () => {
  const k1 = keySpec('k1');
  const cipher = new TokenCipher(parseKeyring(k1, 'ENCRYPTION_KEYS'));

  it('round-trips and never contains the plaintext', () => {
    const sealed = cipher.encrypt('EAAB-canary-token', 'page-token|org1|page1');
    assert.ok(!sealed.includes('EAAB-canary-token'));
    assert.equal(cipher.decrypt(sealed, 'page-token|org1|page1'), 'EAAB-canary-token');
  });

  it('uses a fresh nonce every time (R14)', () => {
    const a = cipher.encrypt('same', 'ad');
    const b = cipher.encrypt('same', 'ad');
    assert.notEqual(a, b);
    assert.notEqual(a.split('.')[2], b.split('.')[2]);
  });

  it('binds the ciphertext to its owner with associated data (R17)', () => {
    const sealed = cipher.encrypt('token', 'page-token|org1|page1');
    assert.throws(() => cipher.decrypt(sealed, 'page-token|org2|page1'), DecryptionError);
  });

  it('detects tampering', () => {
    const sealed = cipher.encrypt('token', 'ad');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString('base64url');
    assert.throws(() => cipher.decrypt(parts.join('.'), 'ad'), DecryptionError);
    assert.throws(() => cipher.decrypt('garbage', 'ad'), DecryptionError);
  });

  it('stores the key id and still decrypts after rotation (R16)', () => {
    const sealedUnderK1 = cipher.encrypt('old token', 'ad');
    assert.equal(cipher.keyIdOf(sealedUnderK1), 'k1');
    const rotated = new TokenCipher(parseKeyring(`${keySpec('k2')},${k1}`, 'ENCRYPTION_KEYS'));
    assert.equal(rotated.decrypt(sealedUnderK1, 'ad'), 'old token');
    const sealedUnderK2 = rotated.encrypt('new token', 'ad');
    assert.equal(rotated.keyIdOf(sealedUnderK2), 'k2');
    assert.throws(() => cipher.decrypt(sealedUnderK2, 'ad'), /unknown key id k2/);
  });
});
