// Runs a TypeScript module in a worker thread: tsx's hooks registered with `--import tsx` do not reach workers on
// Node 20, so the worker registers them itself before importing the module named in workerData.module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
