// thread-priority.ts: the processor thread lowers its own scheduling priority, and only its own (Linux
// changes one thread with setpriority on its thread id). Checked from /proc, as the kernel sees it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

const niceOf = (tid: number) => {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};

describe('niceThisThread', { skip: process.platform !== 'linux' && 'Linux only' }, () => {
  it('sets the calling thread’s nice value and leaves the rest of the process alone', async () => {
    const moduleUrl = new URL('../src/webhooks/thread-priority.ts', import.meta.url).href;
    // The worker lowers its priority, reports its thread id, and stays alive until told to end.
    const worker = new Worker(
      // A worker does not inherit the tsx loader: it registers it before importing the module.
      `const { parentPort } = require('node:worker_threads');
       import('tsx/esm/api')
         .then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl)}); })
         .then((m) => {
           parentPort.postMessage(m.niceThisThread(7));
           parentPort.once('message', () => process.exit(0));
         });`,
      { eval: true },
    );
    const tid = await new Promise<number | null>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    try {
      assert.ok(typeof tid === 'number' && tid !== process.pid, `thread id ${tid}`);
      assert.equal(niceOf(tid), 7);
      assert.equal(niceOf(process.pid), 0, 'the main thread keeps its priority');
    } finally {
      worker.postMessage('end');
      await new Promise((r) => worker.once('exit', r));
    }
  });
});
