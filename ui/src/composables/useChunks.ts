/**
 * A document's chunks as its editors curate them: read a page at a time in order ("show more" asks for the chunks
 * after the last one shown, its id the cursor), a chunk's text edited, a chunk taken out of search and put back. Each change answers
 * with the chunk as the index now has it, which replaces the one shown. The list logic takes a transport, so the
 * tests script the server.
 */
import { reactive } from 'vue';
import { MAX_CHUNK_CHARS } from '../curation-limits';
import { graphql } from '../graphql/generated';
import type { KbChunkFieldsFragment } from '../graphql/generated/graphql';
import { useAppContext } from './app-context';
import { detailedError, type DetailedError } from './useKnowledgeBases';

export const KbChunkFields = graphql(`
  fragment KbChunkFields on Chunk {
    id
    documentId
    knowledgeBaseId
    revision
    ordinal
    text
    headingPath
    page
    tokenCount
    enabled
  }
`);

export const KbChunksQuery = graphql(`
  query KbChunks($documentId: ID!, $limit: Int!, $after: String) {
    chunks(documentId: $documentId, limit: $limit, after: $after) {
      ...KbChunkFields
    }
  }
`);

export const KbUpdateChunkMutation = graphql(`
  mutation KbUpdateChunk($id: ID!, $text: String!) {
    updateChunk(id: $id, text: $text) {
      ...KbChunkFields
    }
  }
`);

export const KbSetChunkEnabledMutation = graphql(`
  mutation KbSetChunkEnabled($id: ID!, $enabled: Boolean!) {
    setChunkEnabled(id: $id, enabled: $enabled) {
      ...KbChunkFields
    }
  }
`);

export type KbChunk = KbChunkFieldsFragment;

/** Chunks read at a time: a screenful or two of passages. */
export const CHUNK_PAGE_SIZE = 20;

/** Why the text cannot be saved as a chunk's, checked before asking the server (so the reason is in words). */
export function chunkTextProblem(text: string): 'empty' | 'tooLong' | undefined {
  const clean = text.trim();
  if (!clean) return 'empty';
  if (clean.length > MAX_CHUNK_CHARS) return 'tooLong';
  return undefined;
}

/** What the list needs of the server; each call answers the data or the error to show. */
export interface ChunkTransport {
  /** `limit` chunks after the one with id `after` (undefined: from the first). */
  page(after: string | undefined, limit: number): Promise<{ chunks: KbChunk[] } | { error: DetailedError }>;
  edit(chunkId: string, text: string): Promise<{ chunk: KbChunk } | { error: DetailedError }>;
  setEnabled(chunkId: string, enabled: boolean): Promise<{ chunk: KbChunk } | { error: DetailedError }>;
}

export function createChunkList(transport: ChunkTransport, pageSize = CHUNK_PAGE_SIZE) {
  const state = reactive({
    chunks: [] as KbChunk[],
    loading: false,
    /** A full page came back last: there may be more after it. */
    hasMore: true,
    error: undefined as DetailedError | undefined,
  });

  /** Reads the next page; a page shorter than asked is the last one. */
  async function loadMore(): Promise<void> {
    if (state.loading || !state.hasMore) return;
    state.loading = true;
    state.error = undefined;
    try {
      const last = state.chunks[state.chunks.length - 1];
      const answer = await transport.page(last?.id, pageSize);
      if ('error' in answer) {
        state.error = answer.error;
        return;
      }
      state.chunks.push(...answer.chunks);
      state.hasMore = answer.chunks.length === pageSize;
    } finally {
      state.loading = false;
    }
  }

  function replace(chunk: KbChunk): void {
    const at = state.chunks.findIndex((shown) => shown.id === chunk.id);
    if (at >= 0) state.chunks[at] = chunk;
  }

  /** Saves the text; answers the error to show, or undefined once the index has the new text. */
  async function edit(chunkId: string, text: string): Promise<DetailedError | undefined> {
    const answer = await transport.edit(chunkId, text.trim());
    if ('error' in answer) return answer.error;
    replace(answer.chunk);
    return undefined;
  }

  async function setEnabled(chunkId: string, enabled: boolean): Promise<DetailedError | undefined> {
    const answer = await transport.setEnabled(chunkId, enabled);
    if ('error' in answer) return answer.error;
    replace(answer.chunk);
    return undefined;
  }

  return { state, loadMore, edit, setEnabled };
}

export type ChunkList = ReturnType<typeof createChunkList>;

const NO_ANSWER: DetailedError = { code: 'INTERNAL', message: 'no answer' };

/** The chunk list of one document over the app's GraphQL client. */
export function useChunks(documentId: string): ChunkList {
  const { api } = useAppContext();
  const failed = (error: Parameters<typeof detailedError>[0]) => ({ error: detailedError(error) ?? NO_ANSWER });
  return createChunkList({
    async page(after, limit) {
      // network-only: an edit elsewhere (or a re-index) must show, not a cached page.
      const result = await api.urql.query(KbChunksQuery, { documentId, limit, after: after ?? null }, { requestPolicy: 'network-only' }).toPromise();
      return result.data ? { chunks: result.data.chunks } : failed(result.error);
    },
    async edit(chunkId, text) {
      const result = await api.urql.mutation(KbUpdateChunkMutation, { id: chunkId, text }).toPromise();
      return result.data ? { chunk: result.data.updateChunk } : failed(result.error);
    },
    async setEnabled(chunkId, enabled) {
      const result = await api.urql.mutation(KbSetChunkEnabledMutation, { id: chunkId, enabled }).toPromise();
      return result.data ? { chunk: result.data.setChunkEnabled } : failed(result.error);
    },
  });
}
