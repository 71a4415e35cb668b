// Meta's wire format and signatures as fixed vectors, cross-checked outside Node (Python's
// json.dumps(ensure_ascii) + hmac produce the same bytes and digest).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { metaJson } from '../meta-json.ts';
import { appsecretProof, hubSignature, signedRequest } from '../webhook-signature.ts';

const SECRET = 'e0a1b2c3d4e5f60718293a4b5c6d7e8f';

describe('metaJson', () => {
  it('escapes non-ASCII as lowercase \\uXXXX and emoji as surrogate pairs', () => {
    assert.equal(metaJson({ s: 'äöå' }), '{"s":"\\u00e4\\u00f6\\u00e5"}');
    assert.equal(metaJson('héllo 👋'), '"h\\u00e9llo \\ud83d\\udc4b"');
    assert.equal(metaJson('€✓'), '"\\u20ac\\u2713"');
  });

  it('escapes every slash and keeps ASCII as is', () => {
    assert.equal(metaJson({ url: 'https://a.b/c?d=e' }), '{"url":"https:\\/\\/a.b\\/c?d=e"}');
    assert.equal(
      metaJson({ n: 1, b: true, z: null, t: 'plain "q" \n' }),
      '{"n":1,"b":true,"z":null,"t":"plain \\"q\\" \\n"}',
    );
  });

  it('is pure ASCII and parses back to the original value', () => {
    const value = { text: 'héllo 👋 äöå / 日本', list: ['ß', '/'] };
    const wire = metaJson(value);
    assert.ok(/^[\x20-\x7e]*$/.test(wire), wire);
    assert.deepEqual(JSON.parse(wire), value);
  });
});

describe('signatures', () => {
  it('X-Hub-Signature-256 over the escaped bytes matches a fixed vector', () => {
    const body = metaJson({ text: 'héllo 👋', s: 'äöå', u: 'https://x/y' });
    assert.equal(
      body,
      '{"text":"h\\u00e9llo \\ud83d\\udc4b","s":"\\u00e4\\u00f6\\u00e5","u":"https:\\/\\/x\\/y"}',
    );
    assert.equal(
      hubSignature(SECRET, body),
      'sha256=7f93d8a14348f1e8eb0113670a1306004cb09e8eff5537d82eaab360b24567d7',
    );
    // Signing the decoded text instead — the classic receiver bug — gives another digest.
    const decoded = JSON.stringify(JSON.parse(body));
    assert.notEqual(hubSignature(SECRET, decoded), hubSignature(SECRET, body));
  });

  it('appsecret_proof is the hex HMAC of the token keyed with the secret', () => {
    assert.equal(
      appsecretProof(SECRET, 'EAAtoken'),
      createHmac('sha256', SECRET).update('EAAtoken').digest('hex'),
    );
    assert.match(appsecretProof(SECRET, 'EAAtoken'), /^[0-9a-f]{64}$/);
  });

  it('signed_request is base64url(raw HMAC of the encoded payload) "." base64url(JSON), unpadded', () => {
    const signed = signedRequest(SECRET, {
      algorithm: 'HMAC-SHA256',
      issued_at: 1291836800,
      user_id: '218471',
    });
    const [sig, payload] = signed.split('.');
    assert.ok(sig && payload);
    assert.ok(!signed.includes('=') && !signed.includes('+') && !signed.includes('/'));
    assert.equal(sig, createHmac('sha256', SECRET).update(payload).digest('base64url'));
    assert.deepEqual(JSON.parse(Buffer.from(payload, 'base64url').toString()), {
      algorithm: 'HMAC-SHA256',
      issued_at: 1291836800,
      user_id: '218471',
    });
  });
});
