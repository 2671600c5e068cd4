/**
 * Entry point of the parse sandbox (a child process started by sandbox-process.ts). Once the parsers are loaded it
 * says so, parses one file, sends back the blocks or the failure reason, and exits. Its memory and time are
 * watched from the parent.
 */
import { Worker } from 'node:worker_threads';
import { parseInProcess, type ParseRequest } from './parse-in-process.ts';
import { isParseFailure, type ParsedDocument, type ParseFailureReason } from './types.ts';

export type ParseReply =
  | { ok: true; parsed: ParsedDocument }
  | { ok: false; reason: ParseFailureReason; detail?: string };

// Defence in depth: no parser here has any business on the network.
globalThis.fetch = () => Promise.reject(new Error('the parse sandbox never fetches'));

// The parent going away (or dropping this spare) ends the child. A parser stuck in a synchronous loop never sees
// 'disconnect', so a watchdog thread also checks that the parent is still ours and kills the process if not.
process.on('disconnect', () => process.exit(0));
const ORPHAN_WATCHDOG = `
const { workerData } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== workerData.parent) process.kill(process.pid, 'SIGKILL'); }, 250);
`;
new Worker(ORPHAN_WATCHDOG, { eval: true, workerData: { parent: process.ppid } }).unref();

process.once('message', (message: { bytes: Uint8Array; request: ParseRequest }) => {
  parseInProcess(message.bytes, message.request)
    .then(
      (parsed): ParseReply => ({ ok: true, parsed }),
      (error: unknown): ParseReply =>
        isParseFailure(error)
          ? { ok: false, reason: error.reason }
          : { ok: false, reason: 'parser stopped unexpectedly', detail: String(error) },
    )
    .then((reply) => process.send?.(reply, () => process.exit(0)));
});

process.send?.({ ready: true });
