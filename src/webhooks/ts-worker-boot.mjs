// @ts-check
// Starts a TypeScript worker thread when the app runs from its sources (node --import tsx): a worker
// does not inherit the tsx loader, so it registers it here and then imports the real entry. The
// bundle (npm start) has each worker as its own .mjs entry and never uses this file.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(/** @type {{ entry: string }} */ (workerData).entry);
