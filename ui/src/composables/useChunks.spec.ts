/** A document's passages with a scripted server: pages in order, "show more", edits and the toggle, refusals. */
import { describe, expect, it } from 'vitest';
import { MAX_CHUNK_CHARS } from '../curation-limits';
import { chunkTextProblem, createChunkList, type ChunkTransport, type KbChunk } from './useChunks';
import type { DetailedError } from './useKnowledgeBases';

const chunkAt = (index: number, changes: Partial<KbChunk> = {}): KbChunk => ({
  id: `doc-1:1:${index}`,
  documentId: 'doc-1',
  knowledgeBaseId: 'kb-1',
  revision: 1,
  ordinal: index,
  text: `Passage ${index}`,
  headingPath: ['Manual'],
  page: null,
  tokenCount: 3,
  enabled: true,
  ...changes,
});

/** A server holding `total` chunks; it records what it was asked and can be told to refuse. */
function scriptedServer(total: number) {
  const stored = Array.from({ length: total }, (_, index) => chunkAt(index));
  const asked: Array<{ after: string | undefined; limit: number }> = [];
  let refusal: DetailedError | undefined;
  const answer = <T>(value: T) => (refusal ? { error: refusal } : value);
  const transport: ChunkTransport = {
    async page(after, limit) {
      asked.push({ after, limit });
      const from = after === undefined ? 0 : stored.findIndex((chunk) => chunk.id === after) + 1;
      return answer({ chunks: stored.slice(from, from + limit) });
    },
    async edit(chunkId, text) {
      const at = stored.findIndex((chunk) => chunk.id === chunkId);
      if (!refusal) stored[at] = { ...stored[at]!, text, tokenCount: text.split(' ').length };
      return answer({ chunk: stored[at]! });
    },
    async setEnabled(chunkId, enabled) {
      const at = stored.findIndex((chunk) => chunk.id === chunkId);
      if (!refusal) stored[at] = { ...stored[at]!, enabled };
      return answer({ chunk: stored[at]! });
    },
  };
  return { transport, asked, refuse: (error: DetailedError | undefined) => (refusal = error) };
}

describe('createChunkList', () => {
  it('reads a page at a time after the last passage shown (its id the cursor), and knows the last page by its being short', async () => {
    const server = scriptedServer(5);
    const list = createChunkList(server.transport, 2);
    expect(list.state.hasMore).toBe(true);
    await list.loadMore();
    expect(list.state.chunks.map((chunk) => chunk.ordinal)).toEqual([0, 1]);
    expect(list.state.hasMore).toBe(true);
    await list.loadMore();
    await list.loadMore();
    expect(list.state.chunks.map((chunk) => chunk.ordinal)).toEqual([0, 1, 2, 3, 4]);
    expect(server.asked).toEqual([
      { after: undefined, limit: 2 },
      { after: 'doc-1:1:1', limit: 2 },
      { after: 'doc-1:1:3', limit: 2 },
    ]);
    expect(list.state.hasMore).toBe(false);
    await list.loadMore();
    expect(server.asked).toHaveLength(3);
  });

  it('asks for a page once while one is on its way', async () => {
    const server = scriptedServer(3);
    const list = createChunkList(server.transport, 2);
    await Promise.all([list.loadMore(), list.loadMore()]);
    expect(server.asked).toHaveLength(1);
    expect(list.state.loading).toBe(false);
  });

  it('shows a refused page as an error and tries the same page again', async () => {
    const server = scriptedServer(3);
    const list = createChunkList(server.transport, 2);
    server.refuse({ code: 'FORBIDDEN', message: 'only the owner' });
    await list.loadMore();
    expect(list.state).toMatchObject({ chunks: [], error: { code: 'FORBIDDEN' }, hasMore: true, loading: false });
    server.refuse(undefined);
    await list.loadMore();
    expect(list.state.error).toBeUndefined();
    expect(server.asked.map((ask) => ask.after)).toEqual([undefined, undefined]);
  });

  it('replaces an edited passage with what the server kept (trimmed), in place', async () => {
    const server = scriptedServer(3);
    const list = createChunkList(server.transport);
    await list.loadMore();
    expect(await list.edit('doc-1:1:1', '  The new words here \n')).toBeUndefined();
    expect(list.state.chunks.map((chunk) => chunk.text)).toEqual(['Passage 0', 'The new words here', 'Passage 2']);
    expect(list.state.chunks[1]!.tokenCount).toBe(4);
  });

  it('takes a passage out of search and puts it back', async () => {
    const server = scriptedServer(2);
    const list = createChunkList(server.transport);
    await list.loadMore();
    expect(await list.setEnabled('doc-1:1:0', false)).toBeUndefined();
    expect(list.state.chunks.map((chunk) => chunk.enabled)).toEqual([false, true]);
    expect(await list.setEnabled('doc-1:1:0', true)).toBeUndefined();
    expect(list.state.chunks.map((chunk) => chunk.enabled)).toEqual([true, true]);
  });

  it('answers a refused change with its error and leaves the passage as it was', async () => {
    const server = scriptedServer(2);
    const list = createChunkList(server.transport);
    await list.loadMore();
    server.refuse({ code: 'CONFLICT', message: 'the chunk belongs to an older revision of the document' });
    expect(await list.edit('doc-1:1:0', 'Other words')).toMatchObject({ code: 'CONFLICT' });
    expect(await list.setEnabled('doc-1:1:0', false)).toMatchObject({ code: 'CONFLICT' });
    expect(list.state.chunks[0]).toMatchObject({ text: 'Passage 0', enabled: true });
  });
});

describe('chunkTextProblem', () => {
  it('wants some text, at most the server\'s limit once trimmed', () => {
    expect(chunkTextProblem('')).toBe('empty');
    expect(chunkTextProblem(' \n\t ')).toBe('empty');
    expect(chunkTextProblem('a')).toBeUndefined();
    expect(chunkTextProblem(`  ${'x'.repeat(MAX_CHUNK_CHARS)}  `)).toBeUndefined();
    expect(chunkTextProblem('x'.repeat(MAX_CHUNK_CHARS + 1))).toBe('tooLong');
  });
});
