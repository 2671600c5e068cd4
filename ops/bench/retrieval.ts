/**
 * `npm run bench -- retrieval`: retrieval quality on ops/testing/data and search speed.
 * Quality: every document goes through the real upload path (HTTP upload, parse, chunk, embed, project: see
 * retrieval-upload.ts) twice, then every question through the product's search (retrieval-quality.ts):
 * 1. offline, as `npm start` runs with no model: the local hashed embedder, where the default dense weight is 0
 *    (the local dense rankings are measured on a side base holding the local vectors);
 * 2. with a model, at the dense weight a model gets (0.5 by default): the model this environment configures
 *    (OPENAI_BASE_URL / OPENAI_API_KEY), else the bench's test embedding server, a real HTTP server speaking the
 *    OpenAI embeddings protocol whose vectors come from a fixed lexical rule (test-embedding-rule.ts), NOT a model.
 *    The product's OpenAI-compatible embedder is what talks to it, at ingestion and at search.
 * 3. the offline run's hybrid followed by the rerank stage, over HTTP to the bench's test rerank server, whose scores
 *    come from a fixed lexical rule (test-rerank-rule.ts), NOT a model (retrieval-rerank.ts).
 * Speed (retrieval-speed.ts): a 10,000-chunk knowledge base projected from DocumentChunked events, offline settings;
 * dense and fused latencies on the side base.
 */
import { createEmbedder } from '../../command-side/ingestion/embedding/create-embedder.ts';
import type { Embedder } from '../../command-side/ingestion/embedding/embedder.ts';
import { createChunksProjector } from '../../projections/chunks/projector.ts';
import { createChunkSearch } from '../../query-side/search/search.ts';
import type { searchSettings } from '../../query-side/search/search-options.ts';
import { embedderOptionsOf, searchSettingsOf } from '../app/settings.ts';
import type { Sql } from '../../contracts/sql.ts';
import { createTestPglite } from '../testing/databases.ts';
import { startEmbeddingServer, type EmbeddingServer } from './embedding-server.ts';
import type { BenchRow } from './report.ts';
import { loadCorpus, type BenchCorpus, type DataSetName } from './retrieval-data.ts';
import { indexCorpus } from './retrieval-eval.ts';
import { modelQuality, offlineQuality, spreadRows, type Setup } from './retrieval-quality.ts';
import { rerankQuality, startTestRerankServer } from './retrieval-rerank.ts';
import { SPEED_CHUNKS, speedOf } from './retrieval-speed.ts';
import { MODEL_SETTINGS, SEARCH_SETTINGS, fromEnvironment, uploadCorpora, type UploadedCorpora } from './retrieval-upload.ts';
import { TEST_EMBEDDING_MODEL, testEmbeddingRule } from './test-embedding-rule.ts';

type Settings = ReturnType<typeof searchSettings>;

const setupFor = (sql: Sql, embedder: Embedder, settings: Settings): Setup => ({
  sql,
  embedder,
  hybridWeights: settings.weights,
  searchWith: (weights) =>
    createChunkSearch({ sql, embedder, weights, bm25: settings.bm25, candidates: settings.candidates }),
});

const progress = (message: string) => console.error(`bench retrieval: ${message}`);

/** The uploaded app's own embedder and search settings, as its configuration gives them. */
function appSetup(uploaded: UploadedCorpora): Setup {
  const config = uploaded.app.app.config;
  const embedder = createEmbedder(embedderOptionsOf(config));
  return setupFor(uploaded.app.app.searchIndex, embedder, searchSettingsOf(config, embedder.kind));
}

function uploadRow(name: string, uploaded: UploadedCorpora, what: string): BenchRow {
  return {
    name,
    value: (uploaded.chunks / uploaded.ms) * 1000,
    unit: 'chunks/s',
    note: `${uploaded.documents} .txt documents, ${uploaded.chunks} chunks, upload to indexed in ${(uploaded.ms / 1000).toFixed(1)} s (${what})`,
  };
}

/**
 * The local embedder's vectors for the corpora, projected directly from document events into a PGlite of their own:
 * the app stores no vectors while their weight is 0, and these rows show what weight on them would do.
 */
async function localVectorBases(sql: Sql, corpora: readonly BenchCorpus[], app: Setup, settings: Settings) {
  const projector = createChunksProjector({ dimensions: app.embedder.dimensions });
  const knowledgeBaseIds = {} as Record<DataSetName, string>;
  for (const corpus of corpora) {
    knowledgeBaseIds[corpus.name] = `kb-local-${corpus.name}`;
    await indexCorpus(sql, projector, corpus, knowledgeBaseIds[corpus.name], app.embedder);
  }
  return { setup: setupFor(sql, app.embedder, settings), knowledgeBaseIds };
}

async function offlineRun(corpora: readonly BenchCorpus[]): Promise<BenchRow[]> {
  progress(`offline run: uploading ${corpora.map((c) => `${c.documents.length} ${c.name} documents`).join(', ')}`);
  const uploaded = await uploadCorpora(corpora, fromEnvironment(SEARCH_SETTINGS));
  const localSql = await createTestPglite();
  const speedSql = await createTestPglite();
  const reranker = await startTestRerankServer();
  try {
    const setup = appSetup(uploaded);
    const settings = searchSettingsOf(uploaded.app.app.config, setup.embedder.kind);
    const rows = [uploadRow('retrieval.upload.chunks_per_s', uploaded, setup.embedder.model)];
    progress('projecting the local vectors into a side base');
    const local = await localVectorBases(localSql, corpora, setup, settings);
    for (const corpus of corpora) {
      progress(`offline quality on ${corpus.name} (${corpus.questions.length} questions)`);
      const app = { setup, knowledgeBaseId: uploaded.knowledgeBaseIds[corpus.name] };
      const offline = await offlineQuality(app, { setup: local.setup, knowledgeBaseId: local.knowledgeBaseIds[corpus.name] }, corpus);
      rows.push(...offline.rows);
      progress(`rerank stage on ${corpus.name}, test rerank server`);
      rows.push(...(await rerankQuality(app, corpus, offline.hybrid, reranker)));
    }
    progress(`speed over ${SPEED_CHUNKS} chunks`);
    const speedSetup = setupFor(speedSql, setup.embedder, settings);
    rows.push(...(await speedOf({ ...speedSetup, denseBase: local.setup }, corpora, local.knowledgeBaseIds)));
    return rows;
  } finally {
    await reranker.close();
    await speedSql.close();
    await localSql.close();
    await uploaded.app.close();
  }
}

/** With the configured model when there is one, else with the test embedding server started here. */
async function modelRun(corpora: readonly BenchCorpus[]): Promise<BenchRow[]> {
  const configured = fromEnvironment(MODEL_SETTINGS);
  const useConfigured = Boolean(configured.OPENAI_BASE_URL || configured.OPENAI_API_KEY);
  let server: EmbeddingServer | undefined;
  const settings = { ...fromEnvironment(SEARCH_SETTINGS), ...configured };
  if (!useConfigured) {
    server = await startEmbeddingServer(testEmbeddingRule, 1536);
    Object.assign(settings, { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'bench', EMBEDDING_MODEL: TEST_EMBEDDING_MODEL });
  }
  const label = server ? 'test_embedder' : 'model';
  try {
    progress(`${label} run: uploading through ${settings.OPENAI_BASE_URL ?? 'the OpenAI API'}`);
    const uploaded = await uploadCorpora(corpora, settings);
    try {
      const setup = appSetup(uploaded);
      const what = server
        ? `vectors from the bench's test server (${TEST_EMBEDDING_MODEL}: hashed n-grams projected, not a model) via the OpenAI embedder`
        : `model ${setup.embedder.model} at ${settings.OPENAI_BASE_URL ?? 'api.openai.com'}`;
      const caveat = server
        ? '; the test rule is lexical like BM25: this says what the fusion at this weight does to BM25 with a weak dense ranking, not what a model adds'
        : '';
      const stats = server ? `; ${server.stats.requests} embedding requests, ${server.stats.texts} texts` : '';
      const rows = [uploadRow(`retrieval.upload.${label}.chunks_per_s`, uploaded, `${setup.embedder.model}, ${setup.embedder.dimensions}-d over HTTP${stats}`)];
      for (const corpus of corpora) {
        progress(`${label} quality on ${corpus.name} (${corpus.questions.length} questions)`);
        rows.push(...(await modelQuality(setup, corpus, uploaded.knowledgeBaseIds[corpus.name], label, what, caveat)));
      }
      return rows;
    } finally {
      await uploaded.app.close();
    }
  } finally {
    await server?.close();
  }
}

export async function bench(): Promise<BenchRow[]> {
  const names: DataSetName[] = ['squad', 'cmrc'];
  const corpora = await Promise.all(names.map((name) => loadCorpus(name)));
  return [...corpora.flatMap(spreadRows), ...(await offlineRun(corpora)), ...(await modelRun(corpora))];
}
