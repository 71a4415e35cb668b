// `npm start` with no Meta app configured: the real process entry (src/main.ts, bundled as npm start
// bundles it) starts the emulator beside the app, and the whole connect flow works offline — what a
// newcomer does on day one. The emulator's control API forges webhooks and account callbacks and fetches
// URLs, so it listens on loopback even when HOST exposes the app, and signs with a per-run app secret
// (issue 11 item 6).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EmulatorClient } from '../emulator/client.ts';
import { DEFAULT_APP_SECRET } from '../emulator/options.ts';
import { hubSignature } from '../emulator/webhook-signature.ts';
import { freePort } from './support/app-process.ts';
import { Browser, signup } from './support/http-client.ts';
import { serverEntry } from './support/server-entry.ts';

describe('sandbox mode: npm start without a Meta app', () => {
  let child: ChildProcess;
  let dir: string;
  let appUrl: string;
  let emulatorUrl: string;
  let port: number;
  let emulatorPort: number;
  let output = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-sandbox-'));
    [port, emulatorPort] = [await freePort(), await freePort()];
    appUrl = `http://localhost:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      // Exposes the app on every interface; the emulator must stay on loopback regardless.
      HOST: '0.0.0.0',
      EMULATOR_PORT: String(emulatorPort),
      PARLEY_DATA_DIR: dir,
      DATABASE_URL: `sqlite:${join(dir, 'parley.db')}`,
      LOG_LEVEL: 'warn',
    };
    for (const k of ['META_APP_ID', 'META_APP_SECRET', 'META_WEBHOOK_VERIFY_TOKEN', 'NODE_ENV', 'PUBLIC_URL'])
      delete env[k];
    child = spawn(process.execPath, [await serverEntry()], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => {
      output += String(d);
    });
    child.stderr!.on('data', (d) => {
      output += String(d);
    });
    const deadline = Date.now() + 30_000;
    while (!/Meta emulator is at (\S+)/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    emulatorUrl = output.match(/Meta emulator is at (\S+)/)![1]!;
  });

  after(() => {
    child?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints both URLs and connects a Page through the emulator, end to end', async () => {
    assert.match(output, new RegExp(`Parley is running at ${appUrl}`));
    const b = new Browser(appUrl);
    await signup(b);
    const { url } = (await b.get<{ url: string }>('/api/integrations/meta/oauth-url')).body;
    assert.ok(url.startsWith(`${emulatorUrl}/v27.0/dialog/oauth`), url);
    const callback = (await new EmulatorClient(emulatorUrl).login(url, 'one')).split('#')[0]!;
    assert.ok(callback.startsWith(`${appUrl}/integrations/meta-messaging/oauth/callback?`));
    const res = await b.get(callback);
    assert.equal(res.headers.get('location'), `${appUrl}/settings/tab/integrations`);
    const status = await b.get<{ connection: { status: string; webhooks: Record<string, string> } }>(
      '/api/integrations/meta',
    );
    assert.equal(
      status.body.connection.status,
      'active',
      'the emulator verified the webhook callback of the real process',
    );
  });

  it('the emulator listens on loopback only, even with HOST=0.0.0.0 (issue 11 item 6)', async () => {
    assert.equal(new URL(emulatorUrl).hostname, '127.0.0.1');
    assert.equal(await reachable('127.0.0.1', emulatorPort), true);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!external) return; // No non-loopback address on this machine: the bound URL above is the proof.
    assert.equal(await reachable(external, port), true, `the app is exposed on ${external}`);
    assert.equal(
      await reachable(external, emulatorPort),
      false,
      `the emulator is not reachable on ${external}`,
    );
  });

  it('the emulator signs with a per-run app secret: a webhook signed with the old fixed default is refused (issue 11 item 6)', async () => {
    const body = JSON.stringify({ object: 'page', entry: [] });
    const res = await fetch(`${appUrl}/integrations/meta-messaging/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': hubSignature(DEFAULT_APP_SECRET, body),
      },
      body,
    });
    assert.equal(res.status, 401);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
