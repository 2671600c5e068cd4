/**
 * Ingestion figures (issue 5, "Speed"): maint-guide.en.pdf (63 pages) from upload to searchable through the real
 * HTTP upload, worker and projections with the local embedder, split by step from the events' times; and ingestion
 * throughput in chunks/s on a large generated Markdown file, to searchable (status indexed, found by search) and to
 * fully indexed (every vector in the HNSW index). While that file is indexed, a loop of createKnowledgeBase
 * mutations (each waits for its read model) shows whether indexing holds the other read models back.
 * A small upload first warms the parse sandbox, as a running server's would be; the cold figure is in the note.
 */
import { readFile } from 'node:fs/promises';
import { documentStream } from '../../contracts/streams.ts';
import { comparePositions } from '../../contracts/position.ts';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { CHUNKS_PROJECTOR } from '../../projections/chunks/projector.ts';
import { fixturePath } from '../testing/fixture-files.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';
import { atLeast, below, percentile, sortNumbers, type BenchRow } from './report.ts';
import { uploadFile, until } from '../testing/document-uploads.ts';

const GUIDE = fixturePath('maint-guide.en.pdf');
const REGISTER = `mutation($email: String!) { register(email: $email, password: "bench password 1") { accessToken } }`;
const CREATE_KB = `mutation { createKnowledgeBase(name: "bench") { id } }`;
const SEARCH = `query($kb: ID!, $q: String!) { search(knowledgeBaseId: $kb, query: $q, limit: 10) { documentId } }`;
const STATUS = `query($id: ID!) { document(id: $id) { status } }`;

/** Milliseconds between the first events of two types in a document's stream. */
const between = (events: readonly RecordedEvent[], from: string, to: string) => {
  const at = (type: string) => Date.parse(events.find((e) => e.type === type)!.createdAt);
  return at(to) - at(from);
};

async function timeToSearchable(app: TestApp, token: string, kb: string, name: string, bytes: Uint8Array, query: string) {
  const started = performance.now();
  const startedAt = Date.now();
  const id = await uploadFile(app, token, kb, name, bytes);
  const uploadMs = performance.now() - started;
  // Searchable = indexed (every chunk embedded) and returned by search; BM25 may find chunks a little earlier.
  await until(`${name} indexed`, async () => {
    const result = await app.gql<{ document: { status: string } }>(STATUS, { id }, token);
    return result.data?.document.status === 'indexed' ? true : undefined;
  });
  const statusAt = Date.now();
  await until(`${name} in search`, async () => {
    const result = await app.gql<{ search: Array<{ documentId: string }> }>(SEARCH, { kb, q: query }, token);
    return result.data?.search.some((hit) => hit.documentId === id) ? true : undefined;
  });
  const ms = performance.now() - started;
  const events = await app.app.eventStore.readStream(documentStream(id));
  const indexed = events.at(-1)!;
  if (indexed.type !== 'DocumentIndexed') throw new Error(`${name} ended ${indexed.type}`);
  // Fully indexed: the chunks projection (vectors into HNSW) has reached DocumentIndexed.
  await until(`${name} vectors`, async () => {
    const chunks = app.app.runtime.health().find((projector) => projector.name === CHUNKS_PROJECTOR);
    return chunks && comparePositions(chunks.position, indexed.position) >= 0 ? true : undefined;
  });
  const fullyMs = performance.now() - started;
  const steps = [
    `upload ${uploadMs.toFixed(0)}`,
    `queue ${between(events, 'DocumentUploaded', 'DocumentParsingStarted')}`,
    `parse ${between(events, 'DocumentParsingStarted', 'DocumentParsed')}`,
    `chunk ${between(events, 'DocumentParsed', 'DocumentChunked')}`,
    `embed and index ${between(events, 'DocumentChunked', 'DocumentIndexed')}`,
    `documents read model ${statusAt - Date.parse(indexed.createdAt)}`,
    `search ${(startedAt + ms - Date.parse(indexed.createdAt)).toFixed(0)}`,
    `all vectors in ${(startedAt + fullyMs - Date.parse(indexed.createdAt)).toFixed(0)}`,
  ].join(', ');
  return { ms, fullyMs, events, steps, chunks: Number(indexed.data.chunkCount) };
}

/** Round trips of `call` (one at a time, 20 ms apart) until `done` settles; sorted. */
async function latenciesUntil(done: Promise<unknown>, call: () => Promise<void>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const times: number[] = [];
  while (!finished) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return sortNumbers(times);
}

async function expectNoErrors(result: Promise<{ errors?: unknown }>, what: string): Promise<void> {
  const { errors } = await result;
  if (errors) throw new Error(`${what} during indexing: ${JSON.stringify(errors)}`);
}

const spread = (sorted: number[]) =>
  `n=${sorted.length}, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${(sorted.at(-1) ?? 0).toFixed(0)} ms`;

function generatedManual(sections: number): Uint8Array {
  const words = ['pump', 'valve', 'filter', 'pressure', 'seal', 'bearing', 'motor', 'sensor', 'cable', 'switch', 'gasket'];
  const lines: string[] = [];
  for (let s = 0; s < sections; s++) {
    lines.push(`# Section ${s}`, '');
    for (let p = 0; p < 6; p++) {
      const sentence = (k: number) =>
        `Check the ${words[(s + k) % words.length]} ${k} of unit ${s}-${p} and replace the ${words[(s * 7 + p + k) % words.length]} when worn.`;
      lines.push(Array.from({ length: 8 }, (_, k) => sentence(k)).join(' '), '');
    }
  }
  return new TextEncoder().encode(lines.join('\n'));
}

export async function bench(): Promise<BenchRow[]> {
  const app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
  try {
    const token = (await app.gql<{ register: { accessToken: string } }>(REGISTER, { email: 'bench@example.com' })).data!.register
      .accessToken;
    const kb = (await app.gql<{ createKnowledgeBase: { id: string } }>(CREATE_KB, {}, token)).data!.createKnowledgeBase.id;
    const warmup = await timeToSearchable(app, token, kb, 'warmup.md', new TextEncoder().encode('# Warm up\n\nwarming the sandbox.\n'), 'warming sandbox');

    const guide = await timeToSearchable(app, token, kb, 'maint-guide.en.pdf', new Uint8Array(await readFile(GUIDE)), 'debian maintainer');

    const small = await uploadFile(app, token, kb, 'to-delete.md', new TextEncoder().encode('# Old\n\nAn outdated note.\n'));
    const bigIngest = timeToSearchable(app, token, kb, 'generated-manual.md', generatedManual(400), 'gasket unit 399-5');
    const [latencies, searches, deleteMs] = await Promise.all([
      latenciesUntil(bigIngest, () => expectNoErrors(app.gql(CREATE_KB, {}, token), 'createKnowledgeBase')),
      latenciesUntil(bigIngest, () => expectNoErrors(app.gql(SEARCH, { kb, q: 'replace the worn gasket' }, token), 'search')),
      (async () => {
        // A delete waits until search no longer shows the document: behind the manual's vectors, if they queue.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const started = performance.now();
        await expectNoErrors(app.gql(`mutation($id: ID!) { deleteDocument(id: $id) { status } }`, { id: small }, token), 'deleteDocument');
        return performance.now() - started;
      })(),
    ]);
    const big = await bigIngest;
    const embedMs = between(big.events, 'DocumentChunked', 'DocumentIndexed');
    // At the default weights (dense 0) no vectors are computed: the model is "none", 0-d.
    const { model, dimensions } = big.events.at(-1)!.data as { model: string; dimensions: number };
    const vectors = dimensions > 0 ? `${model} vectors, ${dimensions}-d` : 'no vectors (the search gives them no weight)';
    const p50 = percentile(latencies, 50);
    return [
      {
        name: 'ingestion.maint-guide.upload-to-searchable',
        value: guide.ms,
        unit: 'ms',
        ...below(guide.ms, 5000),
        note: `${guide.chunks} chunks; ms: ${guide.steps}; cold first upload (tiny file) ${warmup.ms.toFixed(0)} ms`,
      },
      {
        name: 'ingestion.throughput.upload-to-searchable',
        value: (big.chunks / big.ms) * 1000,
        unit: 'chunks/s',
        ...atLeast((big.chunks / big.ms) * 1000, 300),
        note: `${big.chunks} chunks of generated Markdown in ${big.ms.toFixed(0)} ms (${big.steps}); embedding+append alone ${((big.chunks / embedMs) * 1000).toFixed(0)} chunks/s; ${vectors}`,
      },
      {
        name: 'ingestion.throughput.fully-indexed',
        value: (big.chunks / big.fullyMs) * 1000,
        unit: 'chunks/s',
        note: `the same file until the search index has all of it, vectors included (${big.fullyMs.toFixed(0)} ms; ${vectors})`,
      },
      {
        name: 'ingestion.read-your-writes-while-indexing.p50',
        value: p50,
        unit: 'ms',
        note: `createKnowledgeBase (waits for its read model) during that indexing: ${spread(latencies)}`,
      },
      {
        name: 'ingestion.search-while-indexing.p50',
        value: percentile(searches, 50),
        unit: 'ms',
        note: `search over GraphQL in the knowledge base being indexed: ${spread(searches)}`,
      },
      {
        name: 'ingestion.delete-while-indexing',
        value: deleteMs,
        unit: 'ms',
        note: 'deleteDocument of another document 1.5 s into that indexing (answers once search no longer shows it)',
      },
    ];
  } finally {
    await app.close();
  }
}
