// The open-model generator's thread (open-load.ts says why it has one): runs the plan it is given and
// posts the result back.
import { parentPort, workerData } from 'node:worker_threads';
import { type OpenLoadPlan, runOpenLoad } from './open-load.ts';

parentPort!.postMessage(await runOpenLoad((workerData as { plan: OpenLoadPlan }).plan));
