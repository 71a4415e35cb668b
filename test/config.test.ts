import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../src/config.ts';

// Each case's own data directory, removed when the file's tests end.
const made: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-config-'));
  made.push(dir);
  return dir;
};
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const key = () => `a:${Buffer.alloc(32, 7).toString('base64')}`;

describe('config (CONTRACT §2)', () => {
  it('applies the contract defaults in sandbox mode', () => {
    const c = loadConfig({ PARLEY_DATA_DIR: dataDir() });
    assert.equal(c.port, 3000);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.publicUrl, 'http://localhost:3000');
    assert.equal(c.oauthRedirectUri, 'http://localhost:3000/integrations/meta-messaging/oauth/callback');
    assert.equal(c.webhookCallbackUrl, 'http://localhost:3000/integrations/meta-messaging/webhook');
    assert.deepEqual(c.database, { kind: 'sqlite', path: 'data/parley.db' });
    assert.equal(c.meta.app, null);
    assert.equal(c.meta.apiVersion, 'v27.0');
    assert.equal(c.meta.graphUrl, 'https://graph.facebook.com');
    assert.deepEqual(c.meta.scopes, [
      'pages_messaging',
      'instagram_manage_messages',
      'pages_show_list',
      'instagram_basic',
      'pages_manage_metadata',
      'business_management',
      // Issue 13: the history import reads Messenger conversations.
      'pages_read_engagement',
    ]);
    assert.deepEqual(c.meta.webhookFields, [
      'messages',
      'message_deliveries',
      'message_reads',
      'message_echoes',
      'messaging_postbacks',
      // Issue 13: reactions, edits, referrals and standby are shown in the thread.
      'message_reactions',
      'message_edits',
      'messaging_referrals',
      'standby',
    ]);
    assert.deepEqual(c.mediaStore, { kind: 'file', dir: 'data/media' });
    assert.deepEqual(c.mediaHosts, ['fbcdn.net', 'fbsbx.com', 'cdninstagram.com', 'facebook.com']);
    assert.equal(c.historyImportDays, 30);
    assert.equal(c.humanAgent, false);
    assert.equal(c.emulatorPort, 3001);
    assert.ok(Object.isFrozen(c) && Object.isFrozen(c.meta));
  });

  it('derives the redirect and webhook URLs from PUBLIC_URL', () => {
    const c = loadConfig({
      PARLEY_DATA_DIR: dataDir(),
      PUBLIC_URL: 'https://inbox.example.com/',
      PORT: '8080',
    });
    assert.equal(c.oauthRedirectUri, 'https://inbox.example.com/integrations/meta-messaging/oauth/callback');
    assert.equal(c.port, 8080);
  });

  const bad: Array<[string, Record<string, string>]> = [
    ['PORT', { PORT: 'eighty' }],
    ['PORT', { PORT: '70000' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'ftp://x' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }],
    ['REDIS_URL', { REDIS_URL: 'localhost:6379' }],
    ['DATABASE_PREPARED_STATEMENTS', { DATABASE_PREPARED_STATEMENTS: 'no' }],
    ['META_API_VERSION', { META_API_VERSION: '27' }],
    ['META_GRAPH_URL', { META_GRAPH_URL: 'not a url' }],
    ['META_OAUTH_SCOPES', { META_OAUTH_SCOPES: ' , ' }],
    ['SESSION_SECRET', { SESSION_SECRET: 'short' }],
    ['ENCRYPTION_KEYS', { ENCRYPTION_KEYS: 'k1:dG9vc2hvcnQ=' }],
    ['ENCRYPTION_KEYS', { ENCRYPTION_KEYS: 'nokey' }],
  ];
  for (const [variable, env] of bad) {
    it(`rejects a bad ${variable} (${JSON.stringify(env)}) naming the variable`, () => {
      assert.throws(
        () => loadConfig({ PARLEY_DATA_DIR: dataDir(), ...env }),
        (err: unknown) => err instanceof ConfigError && err.variable === variable,
      );
    });
  }

  it('refuses a partly configured Meta app', () => {
    assert.throws(
      () => loadConfig({ PARLEY_DATA_DIR: dataDir(), META_APP_ID: '123', META_APP_SECRET: 'secret-secret' }),
      (err: unknown) => err instanceof ConfigError && err.variable === 'META_WEBHOOK_VERIFY_TOKEN',
    );
  });

  it('accepts a fully configured Meta app', () => {
    const c = loadConfig({
      PARLEY_DATA_DIR: dataDir(),
      META_APP_ID: '123',
      META_APP_SECRET: 'secret-secret',
      META_WEBHOOK_VERIFY_TOKEN: 'verify-me-please',
    });
    assert.deepEqual(c.meta.app, {
      appId: '123',
      appSecret: 'secret-secret',
      verifyToken: 'verify-me-please',
    });
  });

  it('production refuses plain-http Meta hosts: secrets and tokens travel to them (R19)', () => {
    const prod = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://inbox.example.com',
      ENCRYPTION_KEYS: key(),
      SESSION_SECRET: 'x'.repeat(40),
      META_APP_ID: '123',
      META_APP_SECRET: 'secret-secret',
      META_WEBHOOK_VERIFY_TOKEN: 'verify-me-please',
    };
    for (const variable of ['META_GRAPH_URL', 'META_DIALOG_URL']) {
      assert.throws(
        () => loadConfig({ ...prod, [variable]: 'http://graph.example.com' }),
        (err: unknown) => err instanceof ConfigError && err.variable === variable,
      );
      assert.equal(loadConfig({ ...prod, [variable]: 'https://graph.example.com' }).production, true);
      // Outside production the emulator is served over http.
      assert.doesNotThrow(() =>
        loadConfig({ [variable]: 'http://127.0.0.1:3001', PARLEY_DATA_DIR: dataDir() }),
      );
    }
  });

  it('production refuses to start without keys, session secret, https and a Meta app', () => {
    const prod = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://inbox.example.com',
      ENCRYPTION_KEYS: key(),
      SESSION_SECRET: 'x'.repeat(40),
      META_APP_ID: '123',
      META_APP_SECRET: 'secret-secret',
      META_WEBHOOK_VERIFY_TOKEN: 'verify-me-please',
    };
    assert.equal(loadConfig(prod).production, true);
    for (const [drop, variable] of [
      ['ENCRYPTION_KEYS', 'ENCRYPTION_KEYS'],
      ['SESSION_SECRET', 'SESSION_SECRET'],
      ['META_APP_ID', 'META_APP_ID'],
    ] as const) {
      const env: Record<string, string> = { ...prod };
      delete env[drop];
      if (drop === 'META_APP_ID') {
        delete env.META_APP_SECRET;
        delete env.META_WEBHOOK_VERIFY_TOKEN;
      }
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => err instanceof ConfigError && err.variable === variable,
      );
    }
    assert.throws(
      () => loadConfig({ ...prod, PUBLIC_URL: 'http://inbox.example.com' }),
      (err: unknown) => err instanceof ConfigError && err.variable === 'PUBLIC_URL',
    );
  });

  it('TRUST_PROXY: unset trusts no proxy; a hop count or a list of addresses/CIDRs; else ConfigError', () => {
    const trust = (v?: string) =>
      loadConfig({ PARLEY_DATA_DIR: dataDir(), ...(v === undefined ? {} : { TRUST_PROXY: v }) }).trustProxy;
    assert.equal(trust(), false);
    assert.equal(trust('1'), 1);
    assert.deepEqual(trust('127.0.0.1, 10.0.0.0/8,::1,fd00::/8'), [
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['true', 'yes', '10.0.0.0/33', '1.2.3', 'example.com', '1,2', '10.0.0.1/8/2']) {
      assert.throws(
        () => trust(bad),
        (err: unknown) => err instanceof ConfigError && err.variable === 'TRUST_PROXY',
        bad,
      );
    }
  });

  it('METRICS_TOKEN: off by default, at least 16 characters when set', () => {
    assert.equal(loadConfig({ PARLEY_DATA_DIR: dataDir() }).metricsToken, null);
    assert.equal(
      loadConfig({ PARLEY_DATA_DIR: dataDir(), METRICS_TOKEN: 'a'.repeat(32) }).metricsToken,
      'a'.repeat(32),
    );
    assert.throws(
      () => loadConfig({ PARLEY_DATA_DIR: dataDir(), METRICS_TOKEN: 'short' }),
      (err: unknown) => err instanceof ConfigError && err.variable === 'METRICS_TOKEN',
    );
  });

  it('DATABASE_PREPARED_STATEMENTS: on unless set to off, for PostgreSQL', () => {
    const pgUrl = 'postgres://u@db/parley';
    assert.deepEqual(loadConfig({ PARLEY_DATA_DIR: dataDir(), DATABASE_URL: pgUrl }).database, {
      kind: 'postgres',
      url: pgUrl,
      preparedStatements: true,
    });
    const off = { PARLEY_DATA_DIR: dataDir(), DATABASE_URL: pgUrl, DATABASE_PREPARED_STATEMENTS: 'off' };
    assert.equal((loadConfig(off).database as { preparedStatements: boolean }).preparedStatements, false);
  });

  it('generates dev secrets once into the data folder (mode 0600) and reuses them', () => {
    const dir = dataDir();
    const a = loadConfig({ PARLEY_DATA_DIR: dir });
    const b = loadConfig({ PARLEY_DATA_DIR: dir });
    assert.equal(a.sessionSecret, b.sessionSecret);
    assert.equal(a.keyring.current.id, b.keyring.current.id);
    const file = join(dir, 'dev-secrets.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), /encryptionKeys/);
  });

  it('the process exits non-zero before listening, naming the variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'nope', PARLEY_DATA_DIR: dataDir() },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /PORT/);
    assert.doesNotMatch(run.stdout, /running at/);
  });
});
