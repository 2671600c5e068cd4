/**
 * A pipeline worker process that dies on purpose (SIGKILL to itself, like the OOM killer or a power cut) at a chosen
 * step, for the crash/restart tests (test code only). Run with tsx; configured by environment:
 * CRASH_DB_URL (Postgres event store), CRASH_BLOB_DIR, CRASH_AT = "parse" | "embed:<n>" (the n-th embedding call).
 */
import { createSqlEventStore } from '../../eventstore/sql/sql-event-store.ts';
import { connectTestPostgres } from '../../../ops/testing/databases.ts';
import { createLocalBlobStore } from '../../blobstore/local-blobstore.ts';
import { DEFAULT_CHUNK_OPTIONS } from '../chunking/index.ts';
import { createLocalEmbedder } from '../embedding/local-embedder.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { extractChunks } from '../parsing/index.ts';
import { sqlWorkerCheckpoints } from './checkpoint.ts';
import { silentLogger, TEST_DIMENSIONS, testParseLimits } from './pipeline.testing.ts';
import { createPipelineWorker } from './worker.ts';

const crashAt = process.env.CRASH_AT ?? '';
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const sql = connectTestPostgres(process.env.CRASH_DB_URL!, { max: 2 });
const store = await createSqlEventStore(sql);
const local = createLocalEmbedder({ dimensions: TEST_DIMENSIONS });
let embedCalls = 0;
const embedder: Embedder = {
  model: local.model,
  dimensions: local.dimensions,
  kind: local.kind,
  embed: (texts) => (crashAt === `embed:${++embedCalls}` ? die() : local.embed(texts)),
};
const worker = createPipelineWorker({
  store,
  blobs: createLocalBlobStore(process.env.CRASH_BLOB_DIR!),
  embedder,
  maxEmbeddingBatch: 16,
  extract: (bytes, mediaType) =>
    crashAt === 'parse' ? die() : extractChunks(bytes, { mediaType, limits: testParseLimits(), chunkOptions: DEFAULT_CHUNK_OPTIONS }),
  checkpoints: sqlWorkerCheckpoints(sql),
  logger: silentLogger,
});
await worker.start();
process.send?.('started');
