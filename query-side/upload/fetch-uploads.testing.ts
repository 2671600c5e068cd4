/**
 * Uploads with Node's own fetch (undici) from a worker thread (test code only). The thread matters: a client in the
 * server's own event loop never writes while the server answers, so it never sees the connection reset that a
 * separate client process (the user's script) gets when the server closes with the body still coming.
 */
import { Worker } from 'node:worker_threads';

export interface FetchAnswer {
  status: number;
  /** extensions.code of the first error, or the network error when fetch failed. */
  code: string | undefined;
}

export interface FetchUploads {
  url: string;
  bytes: Uint8Array;
  times: number;
  token?: string;
  /** Send the body as a stream without Content-Length (Transfer-Encoding: chunked). */
  chunked?: boolean;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, bytes, times, token, chunked } = workerData;
function body() {
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'upload.pdf');
  if (!chunked) return { body: form };
  // A stream has no length: undici sends it chunked.
  const encoded = new Response(form);
  return { body: encoded.body, duplex: 'half', contentType: encoded.headers.get('content-type') };
}
(async () => {
  const answers = [];
  for (let i = 0; i < times; i++) {
    const { body: payload, duplex, contentType } = body();
    const headers = {};
    if (token) headers.authorization = 'Bearer ' + token;
    if (contentType) headers['content-type'] = contentType;
    try {
      const response = await fetch(url, { method: 'POST', body: payload, headers, ...(duplex && { duplex }) });
      const json = await response.json().catch(() => ({}));
      answers.push({ status: response.status, code: json.errors?.[0]?.extensions?.code });
    } catch (error) {
      answers.push({ status: 0, code: error.message + ': ' + (error.cause?.code ?? error.cause?.message) });
    }
  }
  parentPort.postMessage(answers);
})();
`;

/** `times` uploads one after another; each answer as the client read it. */
export function fetchUploads(options: FetchUploads): Promise<FetchAnswer[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { eval: true, workerData: options });
    worker.once('message', (answers: FetchAnswer[]) => {
      resolve(answers);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
