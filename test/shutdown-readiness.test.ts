// Issue 11 item 12: /readyz answers 503 `shutting_down` from the moment SIGTERM arrives, while the
// instance keeps serving for the drain delay (SHUTDOWN_DRAIN_MS), so a balancer polling readyz stops
// sending before connections are refused; then the graceful close and exit 0. A real process (src/main.ts
// bundled as npm start bundles it) on SQLite.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { deploymentSecrets, freePort, startAppProcess } from './support/app-process.ts';

describe('readiness during shutdown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-drain-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM: readyz → 503 shutting_down at once, other requests served during the drain delay, then exit 0', async () => {
    const app = await startAppProcess({
      port: await freePort(),
      env: {
        ...deploymentSecrets(),
        PARLEY_DATA_DIR: dir,
        DATABASE_URL: `sqlite:${join(dir, 'parley.db')}`,
        // A Meta app that exists but is never called: no sandbox emulator in this test.
        META_APP_ID: '1',
        META_APP_SECRET: 'unused-secret',
        META_WEBHOOK_VERIFY_TOKEN: 'unused-verify-token',
        META_GRAPH_URL: 'http://127.0.0.1:9',
        META_DIALOG_URL: 'http://127.0.0.1:9',
        SHUTDOWN_DRAIN_MS: '2000',
      },
    });
    try {
      assert.equal((await fetch(`${app.url}/readyz`)).status, 200);
      const sigterm = Date.now();
      app.child.kill('SIGTERM');
      let exited = false;
      void app.exited.then(() => {
        exited = true;
      });
      let readyz: { status: number; body: unknown } | null = null;
      while (!exited && Date.now() - sigterm < 5_000) {
        const res = await fetch(`${app.url}/readyz`).catch(() => null);
        if (res?.status === 503) {
          readyz = { status: res.status, body: await res.json() };
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(readyz, 'readyz answered 503 before the process exited');
      assert.deepEqual(readyz.body, { status: 'shutting_down' });
      assert.ok(Date.now() - sigterm < 1_000, 'readyz turned 503 at once, not after the drain');
      const healthz = await fetch(`${app.url}/healthz`);
      assert.equal(healthz.status, 200, 'still serving during the drain delay');
      const page = await fetch(`${app.url}/api/auth/me`);
      assert.notEqual(page.status, 503, 'an ordinary request is still handled during the drain delay');
      assert.equal(exited, false);
      const exit = await app.exited;
      assert.equal(exit.code, 0);
      assert.ok(Date.now() - sigterm >= 2_000, 'the close waited for the drain delay');
    } finally {
      await app.stop('SIGKILL');
    }
  });
});
