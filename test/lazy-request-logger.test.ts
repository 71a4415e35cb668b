// The webhook route's request logger (issue 15): made only when the request logs at or above its level,
// and then the same as Fastify's own child — bindings, level, and the app's redaction (R50).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { lazyChildLogger } from '../src/http/lazy-request-logger.ts';
import { createLogger } from '../src/logger.ts';

function appLogger(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      cb();
    },
  });
  const logger = createLogger(level, sink) as unknown as FastifyBaseLogger;
  // Counts the children made (the instance's own method, wrapped; no module is replaced).
  let made = 0;
  const child = logger.child;
  // pino's children inherit from their parent, so this one is called for grandchildren too: it must
  // make the child of whichever logger it was called on.
  logger.child = function (this: FastifyBaseLogger, b, o) {
    made++;
    return child.call(this, b, o);
  };
  return { logger, lines, made: () => made };
}

describe('lazyChildLogger', () => {
  it('below its level nothing is logged and no child is made', () => {
    const app = appLogger('info');
    const log = lazyChildLogger(app.logger, { reqId: 'req-1' }, { level: 'warn' });
    log.info({ deliveryId: 'd1' }, 'webhook delivery stored');
    log.debug('detail');
    log.trace('more detail');
    assert.equal(app.lines.length, 0);
    assert.equal(app.made(), 0);
    assert.equal(log.level, 'warn');
  });

  it('at its level: one child, with the bindings, and the app redaction (R50)', () => {
    const app = appLogger('info');
    const log = lazyChildLogger(app.logger, { reqId: 'req-2' }, { level: 'warn' });
    log.warn({ verdict: 'mismatch', page: { token: 'EAAB-secret' } }, 'webhook signature rejected');
    log.error({ err: { message: 'disk full' } }, 'webhook delivery not stored');
    assert.equal(app.made(), 1);
    assert.equal(app.lines.length, 2);
    assert.equal(app.lines[0]!.reqId, 'req-2');
    assert.equal(app.lines[0]!.msg, 'webhook signature rejected');
    assert.deepEqual(app.lines[0]!.page, { token: '[redacted]' });
    assert.equal(app.lines[1]!.msg, 'webhook delivery not stored');
    assert.ok(!JSON.stringify(app.lines).includes('EAAB-secret'));
  });

  it('without a level of its own it follows the app logger; a level set later is honoured', () => {
    const app = appLogger('debug');
    const log = lazyChildLogger(app.logger, { reqId: 'req-3' }, {});
    log.debug('kept at debug');
    log.trace('dropped');
    assert.deepEqual(
      app.lines.map((l) => l.msg),
      ['kept at debug'],
    );
    log.level = 'error';
    log.warn('dropped after the change');
    log.error('kept at error');
    assert.deepEqual(
      app.lines.map((l) => l.msg),
      ['kept at debug', 'kept at error'],
    );
  });

  it('a child of it carries both bindings', () => {
    const app = appLogger('info');
    const log = lazyChildLogger(app.logger, { reqId: 'req-4' }, {});
    log.child({ part: 'intake' }).info('nested');
    assert.equal(app.lines[0]!.reqId, 'req-4');
    assert.equal(app.lines[0]!.part, 'intake');
  });
});
