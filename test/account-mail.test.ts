// Issue 14 mail, against a real SMTP server (the smtp-server package) started here: invitations and
// password resets are e-mailed in plain text and HTML when SMTP_URL is set, and "Forgot password?"
// answers the same whether or not the email has an account (only existing accounts get mail).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from './support/app-harness.ts';
import { Browser, signup, uniqueEmail } from './support/http-client.ts';
import { MailSink } from './support/mail-sink.ts';

describe('account mail over a real SMTP server', () => {
  let h: Harness;
  const sink = new MailSink();
  before(async () => {
    await sink.start();
    h = await startHarness({
      db: 'sqlite',
      env: { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'Parley Test <parley@example.test>' },
    });
  });
  after(async () => {
    await h.close();
    await sink.close();
  });

  it('an invitation is e-mailed with the link, in text and HTML', async () => {
    const owner = new Browser(h.url);
    await signup(owner, 'Mail & Co');
    const email = uniqueEmail('invitee');
    const res = await owner.post<{ invitation: { url: string } }>('/api/organization/invitations', {
      email,
      role: 'agent',
    });
    assert.equal(res.status, 201);
    const mail = await sink.waitFor(email);
    assert.equal(mail.from?.value[0]?.address, 'parley@example.test');
    assert.match(mail.subject ?? '', /invited you to Mail & Co on Parley/);
    assert.ok(mail.text?.includes(res.body.invitation.url), 'plain text carries the link');
    assert.ok(String(mail.html).includes(`href="${res.body.invitation.url}"`), 'HTML links it');
    assert.ok(String(mail.html).includes('Mail &#38; Co'), 'names are escaped in HTML');
  });

  it('Forgot password: 202 either way; only an existing account gets a working one-hour link', async () => {
    const b = new Browser(h.url);
    const o = await signup(b);
    const nobody = uniqueEmail('nobody');
    const known = await new Browser(h.url).post('/api/auth/password-reset/request', { email: o.email });
    const unknown = await new Browser(h.url).post('/api/auth/password-reset/request', { email: nobody });
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.equal(known.text, unknown.text, 'same answer whether or not the email exists');
    const mail = await sink.waitFor(o.email);
    const url = /http:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(mail.text ?? '')?.[0];
    assert.ok(url, 'the mail has a reset link');
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(
      !sink.received.some((m) => JSON.stringify(m.to).includes(nobody)),
      'no mail for an unknown email',
    );
    const token = url.split('/reset-password/')[1];
    const anon = new Browser(h.url);
    assert.equal(
      (await anon.post('/api/auth/password-reset', { token, new_password: 'mailed new secret' })).status,
      204,
    );
    assert.equal((await b.get('/api/auth/me')).status, 401, 'every session ended');
    const login = await anon.post('/api/auth/login', { email: o.email, password: 'mailed new secret' });
    assert.equal(login.status, 200);
  });

  it('an admin-issued reset link is also e-mailed', async () => {
    const owner = new Browser(h.url);
    await signup(owner);
    const email = uniqueEmail('agent');
    const inv = await owner.post<{ invitation: { url: string } }>('/api/organization/invitations', {
      email,
      role: 'agent',
    });
    const token = inv.body.invitation.url.split('/invite/')[1];
    const accepted = await new Browser(h.url).post<{ user: { id: string } }>(
      `/api/invitations/${token}/accept`,
      {
        name: 'Lin',
        password: 'correct horse battery',
      },
    );
    sink.received.length = 0;
    const issued = await owner.post<{ url: string; emailed: boolean }>(
      `/api/organization/members/${accepted.body.user.id}/password-reset`,
    );
    assert.equal(issued.body.emailed, true);
    const mail = await sink.waitFor(email);
    assert.equal(mail.subject, 'Reset your Parley password');
    assert.ok(mail.text?.includes(issued.body.url));
  });

  it('R50: no link token reaches the logs', async () => {
    const tokens = sink.received
      .flatMap((m) => [...(m.text ?? '').matchAll(/\/(?:invite|reset-password)\/([A-Za-z0-9_-]{43})/g)])
      .map((x) => x[1]!);
    for (const t of tokens) assert.ok(!h.logs.join('').includes(t));
  });
});
