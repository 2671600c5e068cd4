/**
 * addChunks and dropChunks give the event loop turns during their own work: against a database double that answers
 * at once (resolved promises: only microtasks, so a timer can run only when the code yields), a 1 ms interval timer
 * must keep ticking while a 256 kB event of Chinese text is indexed and while a 2,000-chunk document is dropped.
 * The double also records the postings written and deleted: a drop deletes exactly what the add wrote.
 */
import { describe, expect, it } from 'vitest';
import type { Row, SqlExecutor } from '../../contracts/sql.ts';
import { MAX_CHUNK_EVENT_BYTES, type Chunk } from '../../contracts/documents.ts';
import { addChunks } from './add-chunks.ts';
import { chunkTerms } from './chunk-terms.ts';
import { dropChunks } from './drop-chunks.ts';
import { SLICE_MS } from '../../contracts/event-loop-turns.ts';

const SENTENCES = ['锅炉每十二个月必须由持证技术人员检修一次', '当前面板上的警告灯变成橙色时请更换空气过滤器', '退款政策允许在购买后三十天内凭收据退货'];
const chineseText = (i: number) =>
  Array.from({ length: 20 }, (_, j) => `${SENTENCES[(i + j) % 3]}第${i * 20 + j}条。`).join('').slice(0, 400);
const chunkOf = (i: number): Chunk => ({
  chunkId: `doc:1:${i}`,
  index: i,
  text: chineseText(i),
  headingPath: ['设备手册', `第${i % 9}章 保养`],
  tokenCount: 330,
});

/** The row a chunk's delete returns (chunk keys are handed out from 1, as addChunks does against the double). */
const goneRow = (chunk: Chunk, i: number): Row => ({
  chunk_id: chunk.chunkId,
  chunk_key: i + 1,
  knowledge_base_id: 'kb',
  knowledge_base_key: 1,
  term_count: 0,
  text: chunk.text,
  heading_path: chunk.headingPath,
});

/** A database that answers every statement at once and records postings written and deleted. */
function recordingDatabase(goneRows: Row[]) {
  const written: string[] = [];
  const deleted: string[] = [];
  let pages = [goneRows];
  const tx: SqlExecutor = {
    async query<T extends Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
      const array = (i: number) => params[i] as unknown[];
      if (text.includes('INSERT INTO chunk_postings')) array(2).forEach((term, i) => written.push(`${term}@${array(3)[i]}`));
      if (text.includes('DELETE FROM chunk_postings')) array(1).forEach((term, i) => deleted.push(`${term}@${array(2)[i]}`));
      if (text.includes('knowledge_base_key AS key')) return [{ key: 1 } as unknown as T];
      if (text.includes('UPDATE chunk_key_counter')) return [{ first: 0 } as unknown as T];
      if (text.includes('WITH gone AS')) {
        const [page = []] = pages;
        pages = pages.slice(1);
        return page as T[];
      }
      return [];
    },
    async exec() {},
  };
  return { tx, written, deleted };
}

const bytesOf = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

/** As many chunks as one DocumentChunked event holds (MAX_CHUNK_EVENT_BYTES, a few kB left for its other fields). */
function largestEvent(all: readonly Chunk[]): Chunk[] {
  const taken: Chunk[] = [];
  let bytes = 0;
  for (const chunk of all) {
    bytes += bytesOf(chunk) + 1;
    if (bytes > MAX_CHUNK_EVENT_BYTES - 4 * 1024) break;
    taken.push(chunk);
  }
  return taken;
}

async function durationOf(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('the chunks projector gives the event loop turns', () => {
  const chunks = Array.from({ length: 2000 }, (_, i) => chunkOf(i));

  it('while indexing a 256 kB event of Chinese text', async () => {
    const event = largestEvent(chunks);
    expect(bytesOf(event)).toBeGreaterThan(MAX_CHUNK_EVENT_BYTES - 8 * 1024);
    const batch = { documentId: 'doc', knowledgeBaseId: 'kb', documentName: 'd', revision: 1, chunks: event };
    const syncMs = await durationOf(() => addChunks(recordingDatabase([]).tx, batch));
    expect(syncMs, 'the work must outlast one slice for this test to mean anything').toBeGreaterThan(SLICE_MS);
    expect(await ticksDuring(() => addChunks(recordingDatabase([]).tx, batch))).toBeGreaterThan(0);
  });

  it('while dropping a 2,000-chunk document', async () => {
    const gone = chunks.map(goneRow);
    const syncMs = await durationOf(() => dropChunks(recordingDatabase(gone).tx, 'doc', 2));
    expect(syncMs, 'the work must outlast one slice for this test to mean anything').toBeGreaterThan(SLICE_MS);
    expect(await ticksDuring(() => dropChunks(recordingDatabase(gone).tx, 'doc', 2))).toBeGreaterThan(0);
  });

  it('drops exactly the postings it wrote, heading terms included', async () => {
    const some = chunks.slice(0, 30);
    const { tx, written } = recordingDatabase([]);
    await addChunks(tx, { documentId: 'doc', knowledgeBaseId: 'kb', documentName: 'd', revision: 1, chunks: some });
    const dropped = recordingDatabase(some.map(goneRow));
    await dropChunks(dropped.tx, 'doc', 2);
    expect(written.length).toBe(some.reduce((sum, c) => sum + chunkTerms(c.text, c.headingPath).frequencies.size, 0));
    expect(written).toContain('保养@1');
    expect(new Set(dropped.deleted)).toEqual(new Set(written));
    expect(dropped.deleted).toHaveLength(written.length);
  });
});
