// Outside production, ENCRYPTION_KEYS and SESSION_SECRET default to values generated once into the
// data folder (mode 0600) and reused on every start, so `npm start` works with no .env file.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevSecrets {
  encryptionKeys: string;
  sessionSecret: string;
}

export function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (isDevSecrets(parsed)) return parsed;
    throw new Error(`${file} is not a valid dev secrets file; delete it to generate new secrets`);
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevSecrets = {
    encryptionKeys: `dev1:${randomBytes(32).toString('base64')}`,
    sessionSecret: randomBytes(32).toString('base64url'),
  };
  // 'wx' fails if another process created it first; then read theirs, so both agree.
  try {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateDevSecrets(dataDir);
    throw err;
  }
  chmodSync(file, 0o600);
  return secrets;
}

function isDevSecrets(v: unknown): v is DevSecrets {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as DevSecrets).encryptionKeys === 'string' &&
    typeof (v as DevSecrets).sessionSecret === 'string'
  );
}
