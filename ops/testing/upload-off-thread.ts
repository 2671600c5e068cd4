/**
 * An upload sent from a worker thread of its own. Responsiveness tests and benchmarks measure the event loop of the
 * process the app runs in; a multi-megabyte upload sent from that same loop (the client streaming its own body)
 * showed up as 70-90 ms stalls that no real client, on another machine, would cause.
 */
import { Worker } from 'node:worker_threads';
import type { TestApp } from './server.ts';

const SEND = `
const { workerData, parentPort } = require('node:worker_threads');
(async () => {
  const { url, token, name, bytes } = workerData;
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const response = await fetch(url, { method: 'POST', body: form, headers: { authorization: 'Bearer ' + token } });
  parentPort.postMessage({ status: response.status, body: await response.text() });
})().catch((error) => parentPort.postMessage({ error: String(error) }));
`;

interface Sent {
  status?: number;
  body?: string;
  error?: string;
}

export async function uploadFileOffThread(app: TestApp, token: string, kb: string, name: string, bytes: Uint8Array): Promise<string> {
  const copy = bytes.slice();
  const url = `${app.url}/api/knowledge-bases/${kb}/documents`;
  const worker = new Worker(SEND, { eval: true, workerData: { url, token, name, bytes: copy }, transferList: [copy.buffer] });
  try {
    const sent = await new Promise<Sent>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    const id = sent.body ? ((JSON.parse(sent.body) as { id?: string }).id ?? undefined) : undefined;
    if (sent.error || sent.status !== 201 || !id) throw new Error(`upload of ${name} answered ${sent.status ?? sent.error}`);
    return id;
  } finally {
    await worker.terminate();
  }
}
