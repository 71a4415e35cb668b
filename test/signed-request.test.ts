// R49: Meta's signed_request, verified with the app secret in constant time.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { verifySignedRequest } from '../src/meta/signed-request.ts';

const secret = 'app-secret-for-tests';
const now = Date.UTC(2026, 10, 28, 12);
const sign = (payload: object, key = secret) => {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${createHmac('sha256', key).update(body).digest('base64url')}.${body}`;
};
const good = { algorithm: 'HMAC-SHA256', user_id: '218471', issued_at: now / 1000 - 10 };

describe('verifySignedRequest (R49)', () => {
  it('accepts a correctly signed request and returns its payload', () => {
    assert.deepEqual(verifySignedRequest(sign(good), secret, now), good);
  });
  it('accepts padded base64url parts', () => {
    const [sig, body] = sign(good).split('.');
    // An HMAC-SHA256 is 32 bytes: 43 base64url characters, one '=' when padded.
    assert.deepEqual(verifySignedRequest(`${sig}=.${body}`, secret, now), good);
  });
  const rejected: Array<[string, unknown]> = [
    ['signed with another secret', sign(good, 'other-secret')],
    [
      'a tampered payload',
      `${sign(good).split('.')[0]}.${Buffer.from(JSON.stringify({ ...good, user_id: '1' })).toString('base64url')}`,
    ],
    ['another algorithm', sign({ ...good, algorithm: 'HMAC-SHA1' })],
    ['expired', sign({ ...good, expires: now / 1000 - 1 })],
    ['issued long ago', sign({ ...good, issued_at: now / 1000 - 3 * 24 * 3600 })],
    ['no user id', sign({ algorithm: 'HMAC-SHA256' })],
    ['no dot', 'abc'],
    ['empty', ''],
    ['not a string', 42],
    ['garbage', 'x.y'],
    ['huge', `${'a'.repeat(5000)}.b`],
  ];
  for (const [name, input] of rejected) {
    it(`rejects ${name}`, () => assert.equal(verifySignedRequest(input, secret, now), null));
  }
});
