// Encryption keys as configured in ENCRYPTION_KEYS: "keyId:base64(32 bytes),…". The first key
// encrypts; every key decrypts, so a new key can be put first and old ciphertexts still open while
// `npm run rotate-keys` re-encrypts them (R16).
import { createSecretKey, type KeyObject } from 'node:crypto';

export interface Keyring {
  current: { id: string; key: KeyObject };
  byId: ReadonlyMap<string, KeyObject>;
}

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

export function parseKeyring(spec: string, variable: string): Keyring {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new KeyringError(`${variable}: must list at least one keyId:base64key`);
  const byId = new Map<string, KeyObject>();
  for (const entry of entries) {
    const sep = entry.indexOf(':');
    const id = entry.slice(0, sep);
    const raw = Buffer.from(entry.slice(sep + 1), 'base64');
    if (sep < 1 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new KeyringError(
        `${variable}: each entry must be keyId:base64key with a short alphanumeric keyId`,
      );
    }
    if (raw.length !== 32) throw new KeyringError(`${variable}: key "${id}" must decode to exactly 32 bytes`);
    if (byId.has(id)) throw new KeyringError(`${variable}: key id "${id}" appears twice`);
    byId.set(id, createSecretKey(raw));
  }
  const [firstId] = byId.keys();
  return { current: { id: firstId!, key: byId.get(firstId!)! }, byId };
}
