/**
 * Curation in the chunks read model: after an edit, a disable and an enable, the index (postings, document
 * frequencies, corpus statistics, vectors) is exactly the index of the document as if it had been chunked that way;
 * a disabled chunk keeps its text and vector aside; each event handled again changes nothing; a reindex or a delete
 * drops the disabled chunks too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packVectors, type DocumentEvent } from '../../contracts/documents.ts';
import type { Sql } from '../../contracts/sql.ts';
import { createTestPglite } from '../../ops/testing/databases.ts';
import { createChunksProjector } from './projector.ts';
import { asRecorded, documentLifecycle, projectDirectly, termHashVectors } from './test-events.ts';

const DIMENSIONS = 32;
const vectors = termHashVectors(DIMENSIONS);
const projector = createChunksProjector({ dimensions: DIMENSIONS });
const TEXTS = ['The boiler must be serviced every year.', 'Replace the boiler filter monthly.', 'The valve is behind the panel.'];
const EDITED = 'The boiler must be serviced every eighteen months by a technician.';
const at = '2026-12-05T00:00:00.000Z';

const lifecycle = (texts: readonly string[]) =>
  documentLifecycle({ documentId: 'doc-1', knowledgeBaseId: 'kb-1', name: 'manual.md', texts }, vectors);

async function edit(chunkId: string, text: string): Promise<DocumentEvent> {
  const [vector] = await vectors.embed([text]);
  return {
    type: 'ChunkEdited',
    data: {
      documentId: 'doc-1', revision: 1, chunkId, text, tokenCount: 12, model: vectors.model, dimensions: DIMENSIONS,
      vector: packVectors([vector!], DIMENSIONS), editedBy: 'u1', editedAt: at,
    },
  };
}
const toggle = (type: 'ChunkDisabled' | 'ChunkEnabled', chunkId: string, revision = 1): DocumentEvent => ({
  type,
  data: { documentId: 'doc-1', revision, chunkId, by: 'u1', at },
});

/** What search reads, without the keys handed out (they depend on the order chunks came in). */
async function index(sql: Sql) {
  return {
    chunks: await sql.query(`SELECT chunk_id, text, term_count FROM chunks ORDER BY chunk_id`),
    postings: await sql.query(
      `SELECT c.chunk_id, p.term, p.tf, p.term_count FROM chunk_postings p JOIN chunks c USING (chunk_key) ORDER BY 1, 2`,
    ),
    termStats: await sql.query(`SELECT term, df FROM chunk_term_stats ORDER BY term`),
    corpus: await sql.query(`SELECT chunk_count, term_total FROM chunk_corpus_stats`),
    vectors: await sql.query(`SELECT chunk_id, embedding::text AS embedding FROM chunk_vectors ORDER BY chunk_id`),
  };
}

/** The index of the document had it been chunked into `texts` (chunk ids given by their original places). */
async function indexOf(texts: ReadonlyArray<string | undefined>) {
  const fresh = await createTestPglite();
  try {
    const events = await lifecycle(texts.map((text) => text ?? 'placeholder'));
    await projectDirectly(fresh, projector, asRecorded(events));
    const gone = texts.flatMap((text, i) => (text === undefined ? [toggle('ChunkDisabled', `doc-1:1:${i}`)] : []));
    await projectDirectly(fresh, projector, asRecorded(gone));
    return await index(fresh);
  } finally {
    await fresh.close();
  }
}

describe('curating chunks in the chunks projection', () => {
  let sql: Sql;
  const project = async (events: DocumentEvent[]) => projectDirectly(sql, projector, asRecorded(events));

  beforeEach(async () => {
    sql = await createTestPglite();
    await project(await lifecycle(TEXTS));
  });
  afterEach(async () => {
    await sql?.close();
  });

  it('an edit re-indexes the chunk: the index is the one of a document with the new text', async () => {
    await project([await edit('doc-1:1:0', EDITED)]);
    expect(await index(sql)).toEqual(await indexOf([EDITED, TEXTS[1], TEXTS[2]]));
    expect(await sql.query(`SELECT count(*)::int AS n FROM chunk_term_stats WHERE term = 'year'`)).toEqual([{ n: 0 }]);
  });

  it('a disabled chunk leaves the index whole, kept aside, and comes back the same when enabled', async () => {
    const before = await index(sql);
    await project([toggle('ChunkDisabled', 'doc-1:1:1')]);
    const disabled = await index(sql);
    expect(disabled.chunks.map((row) => (row as { chunk_id: string }).chunk_id)).toEqual(['doc-1:1:0', 'doc-1:1:2']);
    expect(disabled.vectors).toHaveLength(2);
    expect(disabled.termStats).toEqual((await indexOf([TEXTS[0], undefined, TEXTS[2]])).termStats);
    expect(await sql.query(`SELECT text, model FROM chunks_disabled`)).toEqual([{ text: TEXTS[1], model: vectors.model }]);

    await project([toggle('ChunkEnabled', 'doc-1:1:1')]);
    expect(await index(sql)).toEqual(before);
    expect(await sql.query(`SELECT count(*)::int AS n FROM chunks_disabled`)).toEqual([{ n: 0 }]);
  });

  it('an edit of a disabled chunk is what comes back when it is enabled', async () => {
    await project([toggle('ChunkDisabled', 'doc-1:1:0'), await edit('doc-1:1:0', EDITED)]);
    expect(await sql.query(`SELECT chunk_id FROM chunks WHERE chunk_id = 'doc-1:1:0'`)).toEqual([]);
    await project([toggle('ChunkEnabled', 'doc-1:1:0')]);
    expect(await index(sql)).toEqual(await indexOf([EDITED, TEXTS[1], TEXTS[2]]));
  });

  it('each curation event handled again changes nothing', async () => {
    const events = [await edit('doc-1:1:0', EDITED), toggle('ChunkDisabled', 'doc-1:1:1'), toggle('ChunkEnabled', 'doc-1:1:1'), toggle('ChunkDisabled', 'doc-1:1:2')];
    await project(events);
    const once = { ...(await index(sql)), disabled: await sql.query(`SELECT * FROM chunks_disabled`) };
    await project(events);
    expect({ ...(await index(sql)), disabled: await sql.query(`SELECT * FROM chunks_disabled`) }).toEqual(once);
  });

  it('curation of an older revision is ignored; a reindex and a delete drop the disabled chunks too', async () => {
    await project([toggle('ChunkDisabled', 'doc-1:1:2')]);
    await project([{ type: 'DocumentReindexRequested', data: { documentId: 'doc-1', revision: 2, requestedBy: 'u', cause: 'reindex' } }]);
    expect(await sql.query(`SELECT count(*)::int AS n FROM chunks_disabled`)).toEqual([{ n: 0 }]);
    await project([toggle('ChunkEnabled', 'doc-1:1:2'), await edit('doc-1:1:0', EDITED)]);
    expect(await sql.query(`SELECT count(*)::int AS n FROM chunks`)).toEqual([{ n: 0 }]);

    await project(await documentLifecycle({ documentId: 'doc-1', knowledgeBaseId: 'kb-1', name: 'manual.md', revision: 2, texts: TEXTS }, vectors));
    await project([toggle('ChunkDisabled', 'doc-1:2:1', 2)]);
    expect(await sql.query(`SELECT chunk_id FROM chunks_disabled`)).toEqual([{ chunk_id: 'doc-1:2:1' }]);
    await project([{ type: 'DocumentDeleted', data: { documentId: 'doc-1', knowledgeBaseId: 'kb-1', revision: 2, deletedBy: 'u' } }]);
    expect(await sql.query(`SELECT count(*)::int AS n FROM chunks_disabled`)).toEqual([{ n: 0 }]);
    expect(await sql.query(`SELECT chunk_count, term_total FROM chunk_corpus_stats`)).toEqual([{ chunk_count: 0, term_total: 0 }]);
  });
});
