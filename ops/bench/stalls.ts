/**
 * `npm run bench -- stalls`: the API's responsiveness while awkward documents are ingested (ops/testing/
 * awkward-texts.ts: a 3 MB word, a 4 MB line, 2 million tiny lines, 2 MB of punctuation, 2.6 MB of Chinese without
 * sentence ends, 100,000 levels of nesting, 100,000 identical paragraphs). One at a time, each from upload until it
 * is indexed or failed, in the embedded default (PGlite, local embedder) with the app in this process: the event
 * loop's delay and `{__typename}` round trips over HTTP throughout. ops/app/stalls.isolated.spec.ts asserts the same.
 */
import { AWKWARD_END_WITHIN_MS as END_WITHIN_MS, awkwardTexts } from '../testing/awkward-texts.ts';
import { documentEnd, type DocumentEnd } from '../testing/document-uploads.ts';
import { uploadFileOffThread } from '../testing/upload-off-thread.ts';
import { measureResponsiveness, type Responsiveness } from '../testing/responsiveness.ts';
import { startTestApp } from '../testing/server.ts';
import { below, type BenchRow } from './report.ts';

const REGISTER = `mutation { register(email: "stalls@example.com", password: "bench password 1") { accessToken } }`;
const CREATE_KB = `mutation { createKnowledgeBase(name: "awkward") { id } }`;

export async function bench(): Promise<BenchRow[]> {
  const app = await startTestApp();
  try {
    const token = (await app.gql<{ register: { accessToken: string } }>(REGISTER)).data!.register.accessToken;
    const kb = (await app.gql<{ createKnowledgeBase: { id: string } }>(CREATE_KB, {}, token)).data!.createKnowledgeBase.id;
    const rows: BenchRow[] = [];
    const worst: Responsiveness = { eventLoopP99Ms: 0, eventLoopMaxMs: 0, typenameMaxMs: 0, typenameP99Ms: 0, typenameCount: 0 };
    for (const text of awkwardTexts()) {
      let ended: string;
      const started = performance.now();
      console.error(`stalls: ${text.name}`);
      const measured = await measureResponsiveness(`${app.url}/graphql`, async () => {
        const end: DocumentEnd | Error = await uploadFileOffThread(app, token, kb, text.name, text.bytes)
          .then((id) => documentEnd(app, token, id, END_WITHIN_MS))
          .catch((error: Error) => error);
        if (end instanceof Error) ended = `NOT ENDED: ${end.message}`;
        else ended = end.status === 'indexed' ? `indexed, ${end.chunkCount} chunks` : `failed: ${end.error}`;
      });
      const ms = performance.now() - started;
      for (const key of Object.keys(worst) as (keyof Responsiveness)[]) worst[key] = Math.max(worst[key], measured[key]);
      rows.push({
        name: `stalls.${text.name}`,
        value: ms,
        unit: 'ms',
        ...below(ms, END_WITHIN_MS),
        note: `${text.shape}, ${(text.bytes.length / 1e6).toFixed(1)} MB, uploaded from a worker thread, embedded default: ${ended!}; event loop p99 ${measured.eventLoopP99Ms.toFixed(1)} ms, max ${measured.eventLoopMaxMs.toFixed(0)} ms; {__typename} max ${measured.typenameMaxMs.toFixed(0)} ms (n=${measured.typenameCount})`,
      });
    }
    rows.push(
      { name: 'stalls.event-loop.p99', value: worst.eventLoopP99Ms, unit: 'ms', ...below(worst.eventLoopP99Ms, 50), note: 'worst shape' },
      { name: 'stalls.event-loop.max', value: worst.eventLoopMaxMs, unit: 'ms', ...below(worst.eventLoopMaxMs, 200), note: 'worst shape' },
      { name: 'stalls.typename.max', value: worst.typenameMaxMs, unit: 'ms', ...below(worst.typenameMaxMs, 100), note: 'worst shape; one request at a time, 10 ms apart' },
    );
    return rows;
  } finally {
    await app.close();
  }
}
