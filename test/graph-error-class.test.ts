// Classification of Graph failures by code and subcode (R29, R32; field lessons row 4).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyGraphError } from '../src/meta/graph-error-class.ts';
import { GraphApiError, GraphResponseError, GraphTransportError } from '../src/meta/graph-errors.ts';

const api = (code: number, subcode: number | null = null, status = 400, transient = false) =>
  new GraphApiError(status, code, subcode, 'OAuthException', 'trace', 'm', transient);

describe('classifyGraphError', () => {
  const table: Array<[string, unknown, string]> = [
    ['190/458 app not installed', api(190, 458), 'reauth_required'],
    ['190/459 checkpointed', api(190, 459), 'reauth_required'],
    ['190/460 password changed', api(190, 460), 'reauth_required'],
    ['190/463 expired', api(190, 463), 'reauth_required'],
    ['190/464 unconfirmed user', api(190, 464), 'reauth_required'],
    ['190/467 invalid token', api(190, 467), 'reauth_required'],
    ['102 session', api(102), 'reauth_required'],
    ['10 permission denied', api(10), 'permission'],
    ['10/2018278 outside window', api(10, 2018278), 'permission'],
    ['200 permissions error', api(200), 'permission'],
    ['230 requires pages_messaging', api(230), 'permission'],
    ['1 unknown', api(1, null, 500), 'transient'],
    ['2 service', api(2, null, 500), 'transient'],
    ['341 app limit', api(341), 'transient'],
    ['is_transient flag', api(9999, null, 400, true), 'transient'],
    ['4 app throttle', api(4), 'rate_limited'],
    ['17 user throttle', api(17), 'rate_limited'],
    ['32 page throttle', api(32), 'rate_limited'],
    ['613 custom throttle', api(613), 'rate_limited'],
    ['80001 BUC pages', api(80001), 'rate_limited'],
    ['80006 BUC messenger', api(80006), 'rate_limited'],
    ['100/36009 code used', api(100, 36009), 'permanent'],
    ['100/2018001 no matching user', api(100, 2018001), 'permanent'],
    ['551 person unavailable', api(551), 'permanent'],
    ['transport: connect', new GraphTransportError('connect', null), 'transient'],
    ['transport: timeout', new GraphTransportError('timeout', null), 'transient'],
    ['garbage 200', new GraphResponseError(200, 'not JSON'), 'permanent'],
    ['garbage 502', new GraphResponseError(502, 'not JSON'), 'transient'],
    ['a plain Error', new Error('x'), 'permanent'],
  ];
  for (const [name, err, expected] of table) {
    it(`${name} → ${expected}`, () => assert.equal(classifyGraphError(err), expected));
  }
});
