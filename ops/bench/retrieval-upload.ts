/**
 * The bench corpora through the real upload path: the whole app (startTestApp: PGlite event store and read models,
 * projections, ingestion worker, GraphQL server on port 0), one user, one knowledge base per data set, every
 * document POSTed as a .txt file (paragraphs separated by blank lines) to /api/knowledge-bases/:id/documents, then
 * parsed, chunked, embedded and projected by the pipeline. Resolves once every document is indexed and every vector
 * is in the search index.
 */
import { CHUNKS_PROJECTOR } from '../../projections/chunks/projector.ts';
import { postGraphql } from '../testing/graphql-clients.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';
import type { BenchCorpus, DataSetName } from './retrieval-data.ts';

const REGISTER = `mutation($email: String!, $password: String!) {
  register(email: $email, password: $password) { accessToken } }`;
const CREATE_KB = `mutation($name: String!) { createKnowledgeBase(name: $name) { id } }`;
const DOCUMENTS = `query($kb: ID!) { documents(knowledgeBaseId: $kb) { id name status error chunkCount } }`;

/** Settings of this process's environment that decide chunk vectors and search, passed on to every bench app. */
export const SEARCH_SETTINGS = [
  'EMBEDDING_DIMENSIONS',
  'EMBEDDING_BATCH_SIZE',
  'SEARCH_LEXICAL_WEIGHT',
  'SEARCH_DENSE_WEIGHT',
  'SEARCH_CANDIDATES',
  'BM25_K1',
  'BM25_B',
];
/** Settings that choose a model: passed on only to the run with a model (the offline run leaves them out). */
export const MODEL_SETTINGS = ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'EMBEDDING_MODEL'];

export const fromEnvironment = (names: readonly string[]): Record<string, string> =>
  Object.fromEntries(names.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));

const INDEXING_TIMEOUT_MS = 30 * 60_000;

export interface UploadedCorpora {
  app: TestApp;
  knowledgeBaseIds: Record<DataSetName, string>;
  documents: number;
  chunks: number;
  /** First upload to last document indexed. */
  ms: number;
}

async function gql<T>(app: TestApp, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const result = await postGraphql<T>(app.url, query, variables, token);
  if (result.errors || !result.data) throw new Error(`GraphQL: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** `settings`: the app's environment (see SEARCH_SETTINGS, MODEL_SETTINGS); nothing else is taken from ours. */
export async function uploadCorpora(
  corpora: readonly BenchCorpus[],
  settings: Record<string, string>,
): Promise<UploadedCorpora> {
  const app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', ...settings } });
  try {
    const { register } = await gql<{ register: { accessToken: string } }>(app, REGISTER, {
      email: 'bench@example.com',
      password: 'bench password 1',
    });
    const token = register.accessToken;
    const knowledgeBaseIds = {} as Record<DataSetName, string>;
    // All bases first: a mutation waits for every projector (read-your-writes), the chunks one included.
    for (const corpus of corpora) {
      const { createKnowledgeBase } = await gql<{ createKnowledgeBase: { id: string } }>(
        app,
        CREATE_KB,
        { name: corpus.name },
        token,
      );
      knowledgeBaseIds[corpus.name] = createKnowledgeBase.id;
    }
    const started = performance.now();
    for (const corpus of corpora) {
      for (const document of corpus.documents) {
        const form = new FormData();
        form.append('file', new Blob([document.paragraphs.join('\n\n')]), document.name);
        const response = await fetch(`${app.url}/api/knowledge-bases/${knowledgeBaseIds[corpus.name]}/documents`, {
          method: 'POST',
          body: form,
          headers: { authorization: `Bearer ${token}` },
        });
        if (response.status !== 201) throw new Error(`upload of ${document.name}: ${response.status} ${await response.text()}`);
      }
    }
    const expected = corpora.reduce((sum, corpus) => sum + corpus.documents.length, 0);
    const deadline = Date.now() + INDEXING_TIMEOUT_MS;
    for (;;) {
      const listed = await Promise.all(
        corpora.map((corpus) =>
          gql<{ documents: Array<{ name: string; status: string; error: string | null; chunkCount: number }> }>(
            app,
            DOCUMENTS,
            { kb: knowledgeBaseIds[corpus.name] },
            token,
          ),
        ),
      );
      const documents = listed.flatMap((result) => result.documents);
      const failed = documents.find((document) => document.status === 'failed');
      if (failed) throw new Error(`${failed.name} failed: ${failed.error}`);
      const indexed = documents.filter((document) => document.status === 'indexed');
      if (indexed.length === expected) {
        // Indexed documents are searchable by BM25 at once; their vectors may still be on their way into HNSW.
        const head = await app.app.eventStore.headPosition();
        await app.app.runtime.waitForPosition(head, { projectors: [CHUNKS_PROJECTOR], timeoutMs: INDEXING_TIMEOUT_MS });
        const chunks = indexed.reduce((sum, document) => sum + document.chunkCount, 0);
        return { app, knowledgeBaseIds, documents: expected, chunks, ms: performance.now() - started };
      }
      if (Date.now() > deadline) throw new Error(`only ${indexed.length} of ${expected} documents indexed in time`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await app.close();
    throw error;
  }
}
