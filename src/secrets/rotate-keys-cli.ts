// `npm run rotate-keys [-- --dry-run] [-- --batch-size=N]`: seals every stored token again under the
// newest key of ENCRYPTION_KEYS (the first one), while the app keeps running (docs/deploying.md, "Rotating
// the encryption key"). Prints counts only, never a token. Exit 0 when every sealed token is under the
// newest key (after a dry run: already was); 1 when a token could not be decrypted with any configured key
// or some remain under an older one.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { type RotationCount, rotateSealedTokens } from '../connections/token-rotation.ts';
import { createDatabase } from '../storage/database.ts';
import { TokenCipher } from './token-cipher.ts';

const MAX_PASSES = 3;

const describe = (what: string, c: RotationCount, dryRun: boolean) =>
  `${what}: ${c.scanned} scanned, ${c.rewrapped} ${dryRun ? 'to re-encrypt' : 're-encrypted'}, ` +
  `${c.alreadyCurrent} already under the newest key, ${c.changedMeanwhile} changed meanwhile, ${c.failed} undecryptable`;

let code = 0;
try {
  const { values } = parseArgs({
    options: {
      'dry-run': { type: 'boolean', default: false },
      'batch-size': { type: 'string', default: '100' },
    },
  });
  const dryRun = values['dry-run'] === true;
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new ConfigError('--batch-size', 'must be an integer from 1 to 10000');
  }
  const config = loadConfig(process.env);
  const cipher = new TokenCipher(config.keyring);
  const database = createDatabase(config.database);
  try {
    console.log(`newest key: ${cipher.currentKeyId}${dryRun ? ' (dry run: nothing is written)' : ''}`);
    for (let pass = 1; pass <= MAX_PASSES; pass++) {
      const report = await rotateSealedTokens(database.db, cipher, { batchSize, dryRun });
      console.log(`pass ${pass}`);
      console.log(`  ${describe('page tokens', report.pageTokens, dryRun)}`);
      console.log(`  ${describe('unsubscribe jobs', report.unsubscribeJobs, dryRun)}`);
      const counts = [report.pageTokens, report.unsubscribeJobs];
      const failed = counts.reduce((n, c) => n + c.failed, 0);
      const raced = counts.reduce((n, c) => n + c.changedMeanwhile, 0);
      const pending = counts.reduce((n, c) => n + c.rewrapped, 0);
      if (failed > 0) {
        console.error(
          `${failed} token(s) cannot be decrypted with any key in ENCRYPTION_KEYS; left as they are`,
        );
        code = 1;
        break;
      }
      if (dryRun) {
        code = pending > 0 ? 1 : 0;
        break;
      }
      // A row the app rewrote between our read and write was sealed by the app itself; look again.
      if (raced === 0) break;
      if (pass === MAX_PASSES) code = 1;
    }
  } finally {
    await database.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError ? `configuration error: ${err.message}` : err);
  code = 1;
}
process.exitCode = code;
