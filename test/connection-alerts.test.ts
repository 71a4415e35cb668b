// Connection alerts by mail (issue 14 item 5), against a real SMTP server and the Meta emulator, on
// SQLite and PostgreSQL: owners and admins (not agents) are e-mailed when a Page needs reconnecting, when
// its webhook subscriptions keep failing (once the background retry failed too), and when Meta sent a
// data-deletion request; once per state the connection enters, however often it is seen broken; and a
// mail server that refuses never changes the transition.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { DATABASE_KINDS } from './support/databases.ts';
import { Browser, signup, uniqueEmail } from './support/http-client.ts';
import { connectingFacebookUser } from './support/inbox-fixtures.ts';
import { MailSink } from './support/mail-sink.ts';
import { connectAs, type EmulatedMeta, emulated, emulatorFor } from './support/meta-flow.ts';

type Status = { connection: { status: string; facebook_page_id: string } };

for (const db of DATABASE_KINDS) {
  describe(`connection alerts by mail on ${db}`, () => {
    let h: Harness;
    let meta: EmulatedMeta;
    const sink = new MailSink();
    before(async () => {
      await sink.start();
      h = await startHarness({
        db,
        meta: emulatorFor,
        realClock: true,
        env: { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'Parley <parley@example.test>' },
      });
      meta = emulated(h.meta);
    });
    after(async () => {
      await h.close();
      await sink.close();
    });
    beforeEach(async () => {
      await meta.client.reset();
      await h.testDb.database.db.deleteFrom('organization_meta_settings').execute();
      await h.testDb.database.db.deleteFrom('jobs').execute();
    });

    /** Every alert sent so far has reached the SMTP server. */
    const settled = () => h.features.meta.alerts.settled();

    /** An organization with an owner, an admin and an agent, connected to Olivia's Bakery. */
    async function team() {
      const owner = new Browser(h.url);
      const o = await signup(owner, 'Bakery & Co');
      const admin = uniqueEmail('admin');
      const agent = uniqueEmail('agent');
      for (const [email, role] of [
        [admin, 'admin'],
        [agent, 'agent'],
      ]) {
        const res = await owner.post('/api/organization/members', {
          email,
          password: 'correct horse battery',
          role,
        });
        assert.equal(res.status, 201, res.text);
      }
      return { owner, orgId: o.orgId, emails: { owner: o.email, admin, agent } };
    }

    const fbUserOf = (orgId: string) => connectingFacebookUser(h, orgId);

    it('a Page that needs reconnecting mails owners and admins once, whatever sees it next', async () => {
      const { owner, orgId, emails } = await team();
      assert.equal((await connectAs(owner, meta, 'one')).target, '/settings/tab/integrations');
      const pageId = (await owner.get<Status>('/api/integrations/meta')).body.connection.facebook_page_id;
      await meta.client.revoke({ page_id: pageId, subcode: 460 });
      const checked = await owner.post<Status>('/api/integrations/meta/health-check');
      assert.equal(checked.body.connection.status, 'reauth_required');

      const mail = await sink.waitFor(emails.owner);
      assert.equal(mail.subject, "Reconnect Olivia's Bakery to Parley");
      assert.match(mail.text ?? '', /new messages are not arriving/);
      assert.match(mail.text ?? '', new RegExp(`${h.url}/settings/tab/integrations`));
      assert.match(String(mail.html), /Olivia&#39;s Bakery/, 'names are escaped in the HTML part');
      await sink.waitFor(emails.admin);
      // Still broken, seen again by the health check and by Meta's deauthorize callback: no new mail.
      await owner.post('/api/integrations/meta/health-check');
      const sent = await meta.client.deauthorize({
        user_id: await fbUserOf(orgId),
        url: `${h.url}/integrations/meta-messaging/deauthorize`,
      });
      assert.equal(sent.status, 200);
      await settled();
      assert.equal(sink.to(emails.owner).length, 1, 'one mail per state change');
      assert.equal(sink.to(emails.admin).length, 1);
      assert.equal(sink.to(emails.agent).length, 0, 'agents are not alerted');

      // Reconnected, then broken again: a new state change, a new mail.
      assert.equal((await connectAs(owner, meta, 'one')).target, '/settings/tab/integrations');
      assert.equal((await owner.get<Status>('/api/integrations/meta')).body.connection.status, 'active');
      await meta.client.deauthorize({
        user_id: await fbUserOf(orgId),
        url: `${h.url}/integrations/meta-messaging/deauthorize`,
      });
      await settled();
      assert.equal(sink.to(emails.owner).length, 2);
    });

    it('a subscription that keeps failing mails once after the background retry fails too', async () => {
      const { owner, orgId, emails } = await team();
      // Not retriable inside one attempt: each subscribe attempt consumes exactly one fault.
      await meta.client.faults({ endpoint: 'page.subscribed_apps', count: 3, garbage: true });
      const connect = await connectAs(owner, meta, 'one');
      assert.match(connect.target, /webhook_subscription_failed/);
      const pageId = (await owner.get<Status>('/api/integrations/meta')).body.connection.facebook_page_id;
      await settled();
      assert.equal(sink.to(emails.owner).length, 0, 'the person connecting sees it; no mail yet');

      const retry = () =>
        h.features.meta.subscriptions.runJob({ org_id: orgId, page_id: pageId }).then(
          () => 'ok',
          () => 'failed',
        );
      assert.equal(await retry(), 'failed');
      const mail = await sink.waitFor(emails.owner);
      assert.equal(mail.subject, "Messages from Olivia's Bakery may not reach Parley");
      assert.match(mail.text ?? '', /Webhook subscription failed/);
      await sink.waitFor(emails.admin);
      assert.equal(await retry(), 'failed');
      await settled();
      assert.equal(sink.to(emails.owner).length, 1, 'the retries go on without more mail');

      assert.equal(await retry(), 'ok');
      assert.equal((await owner.get<Status>('/api/integrations/meta')).body.connection.status, 'active');
      await meta.client.faults({ endpoint: 'page.subscribed_apps', count: 2, garbage: true });
      await owner.post('/api/integrations/meta/retry-subscriptions');
      assert.equal(await retry(), 'failed');
      await settled();
      assert.equal(sink.to(emails.owner).length, 2, 'healthy in between: failing again is news');
      assert.equal(sink.to(emails.agent).length, 0);
    });

    it('a data-deletion request from Meta mails owners and admins with the confirmation code', async () => {
      const { owner, orgId, emails } = await team();
      assert.equal((await connectAs(owner, meta, 'one')).target, '/settings/tab/integrations');
      const sent = await meta.client.dataDeletion({
        user_id: await fbUserOf(orgId),
        url: `${h.url}/integrations/meta-messaging/data-deletion`,
      });
      assert.equal(sent.status, 200);
      const { confirmation_code } = JSON.parse(sent.body as string) as { confirmation_code: string };
      const mail = await sink.waitFor(emails.admin);
      assert.match(mail.subject ?? '', /delete/);
      assert.match(mail.text ?? '', new RegExp(confirmation_code));
      assert.match(mail.text ?? '', /Olivia's Bakery/);
      await sink.waitFor(emails.owner);
      await settled();
      assert.equal(sink.to(emails.agent).length, 0);
    });
  });
}

describe('connection alerts when the mail server refuses (sqlite)', () => {
  let h: Harness;
  let meta: EmulatedMeta;
  before(async () => {
    h = await startHarness({
      db: 'sqlite',
      meta: emulatorFor,
      realClock: true,
      env: { SMTP_URL: 'smtp://127.0.0.1:9', MAIL_FROM: 'Parley <parley@example.test>' },
    });
    meta = emulated(h.meta);
  });
  after(() => h.close());

  it('the connection still turns reauth_required, and the failure is only logged', async () => {
    const owner = new Browser(h.url);
    await signup(owner);
    assert.equal((await connectAs(owner, meta, 'one')).target, '/settings/tab/integrations');
    const pageId = (await owner.get<Status>('/api/integrations/meta')).body.connection.facebook_page_id;
    await meta.client.revoke({ page_id: pageId, subcode: 460 });
    const checked = await owner.post<Status>('/api/integrations/meta/health-check');
    assert.equal(checked.status, 200);
    assert.equal(checked.body.connection.status, 'reauth_required');
    await h.features.meta.alerts.settled();
    assert.ok(h.logs.some((l) => l.includes('mail not sent')));
  });
});
