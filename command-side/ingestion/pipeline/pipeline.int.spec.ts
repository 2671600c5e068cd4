import { readFixture } from '../parsing/testing/fixtures.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHUNK_EVENT_BYTES } from '../../../contracts/documents.ts';
import { documentStream } from '../../../contracts/streams.ts';
import { handleCommand } from '../../decider.ts';
import { documentDecider } from '../../documents/decider.ts';
import { asDocumentEvents, expectNoDuplicates, openPipelineFixture, type PipelineFixture } from './pipeline.testing.ts';
import type { PipelineWorker } from './worker.ts';


/** A PDF whose trailer names an encryption dictionary: readers must ask for a password. */
function encryptedPdf(): Uint8Array {
  const objects = [
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>\nendobj\n',
    `4 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <${'a1'.repeat(32)}> /U <${'b2'.repeat(32)}> /P -4 >>\nendobj\n`,
  ];
  let body = '%PDF-1.4\n';
  const offsets = objects.map((object) => {
    const offset = body.length;
    body += object;
    return offset;
  });
  const xref = body.length;
  body += `xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<${'c3'.repeat(16)}> <${'c3'.repeat(16)}>] >>\n`;
  body += `startxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

describe('document pipeline on the real parser, chunker and local embedder', () => {
  let fixture: PipelineFixture;
  let worker: PipelineWorker;

  beforeAll(async () => {
    fixture = await openPipelineFixture('pglite');
    worker = fixture.worker();
    await worker.start();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('takes maint-guide.en.pdf to indexed: chunks in bounded events, every chunk embedded once', { timeout: 180_000 }, async () => {
    const id = await fixture.upload('maint-guide.en.pdf', await readFixture('maint-guide.en.pdf'));
    const recorded = await fixture.settled(id);
    const types = recorded.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['DocumentUploaded', 'DocumentParsingStarted', 'DocumentParsed']);
    expect(types.at(-1)).toBe('DocumentIndexed');
    const { chunkIds, embedded } = expectNoDuplicates(recorded);
    expect(chunkIds.length).toBeGreaterThan(50);
    expect([...embedded].sort()).toEqual([...chunkIds].sort());
    for (const event of recorded) expect(JSON.stringify(event.data).length).toBeLessThan(MAX_CHUNK_EVENT_BYTES);
    const parsed = asDocumentEvents(recorded).find((e) => e.type === 'DocumentParsed');
    expect(parsed?.type === 'DocumentParsed' && parsed.data.pageCount).toBeGreaterThan(50);
    const text = asDocumentEvents(recorded).flatMap((e) => (e.type === 'DocumentChunked' ? e.data.chunks.map((c) => c.text) : []));
    expect(text.join(' ')).toContain('Debian');
  });

  it('ends bad files in DocumentFailed with a reason a person understands, and keeps working', async () => {
    const guide = await readFixture('maint-guide.en.pdf');
    const docx = await readFixture('tables.docx');
    const corruptDocx = docx.slice();
    corruptDocx.fill(0x41, 200, 4000);
    const bad = {
      'truncated.pdf': guide.slice(0, 60_000),
      'locked.pdf': encryptedPdf(),
      'empty.txt': new Uint8Array(0),
      'corrupt.docx': corruptDocx,
    };
    const ids = await Promise.all(Object.entries(bad).map(([name, bytes]) => fixture.upload(name, bytes)));
    const good = await fixture.upload('simple-list.docx', await readFixture('simple-list.docx'));
    const reasons = [];
    for (const id of ids) {
      const last = (await fixture.settled(id)).at(-1)!;
      expect(last.type).toBe('DocumentFailed');
      reasons.push(last.data.reason);
    }
    expect(reasons).toEqual(['file is corrupt', 'PDF is encrypted', 'file is empty', 'file is corrupt']);
    expect((await fixture.settled(good)).at(-1)!.type).toBe('DocumentIndexed');
  });

  it('reindexes as a new revision whose chunks never mix with the old ones, and deletes', async () => {
    const id = await fixture.upload('tables.docx', await readFixture('tables.docx'));
    await fixture.settled(id);
    const owner = fixture.owner.id;
    await handleCommand(fixture.store, documentStream(id), documentDecider, { type: 'ReindexDocument', data: { requestedBy: owner } });
    const deadline = Date.now() + 60_000;
    while ((await fixture.events(id)).filter((e) => e.type === 'DocumentIndexed').length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const events = asDocumentEvents(await fixture.events(id));
    expectNoDuplicates(await fixture.events(id));
    const revisionOf = (chunkId: string) => Number(chunkId.split(':')[1]);
    for (const event of events) {
      if (event.type === 'DocumentChunked') expect(event.data.chunks.every((c) => revisionOf(c.chunkId) === event.data.revision)).toBe(true);
      if (event.type === 'ChunksEmbedded') expect(event.data.chunkIds.every((c) => revisionOf(c) === event.data.revision)).toBe(true);
    }
    expect(events.filter((e) => e.type === 'DocumentIndexed').map((e) => e.data.revision)).toEqual([1, 2]);
    await handleCommand(fixture.store, documentStream(id), documentDecider, { type: 'DeleteDocument', data: { deletedBy: owner } });
    expect((await fixture.events(id)).at(-1)!.data).toMatchObject({ knowledgeBaseId: fixture.knowledgeBaseId, revision: 2 });
  });

});

describe('document pipeline with a search index that is behind', () => {
  let fixture: PipelineFixture;
  beforeAll(async () => {
    fixture = await openPipelineFixture('pglite');
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('records the last embedding batch, and with it DocumentIndexed, only once the search index has caught up', async () => {
    let id = '';
    /** Asks for the position of everything recorded so far: the wait before the last batch. */
    const finalAsks: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const gated = fixture.worker({
      searchIndexReached: async (position) => {
        const head = id ? (await fixture.events(id)).at(-1)?.position : undefined;
        if (position !== head) return; // a wait that only bounds the lag (next test)
        finalAsks.push(position);
        await released;
      },
    });
    try {
      await gated.start();
      const sections = Array.from({ length: 150 }, (_, i) => `# Part ${i}\n\nThe gasket ${i} of pump ${i} is replaced yearly.`);
      id = await fixture.upload('gated.md', new TextEncoder().encode(sections.join('\n\n')));
      const deadline = Date.now() + 60_000;
      while (finalAsks.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(finalAsks).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const waiting = await fixture.events(id);
      // Nothing is recorded while the index is behind, though every batch but the last is embedded.
      expect(finalAsks[0]).toBe(waiting.at(-1)!.position);
      expect(waiting.map((e) => e.type)).not.toContain('DocumentIndexed');
      expect(waiting.filter((e) => e.type === 'ChunksEmbedded').length).toBeGreaterThan(0);
      release();
      const recorded = await fixture.settled(id);
      expect(recorded.at(-1)!.type).toBe('DocumentIndexed');
      const { chunkIds, embedded } = expectNoDuplicates(recorded);
      expect([...embedded].sort()).toEqual([...chunkIds].sort());
    } finally {
      release();
      await gated.stop();
    }
  });

  it('never runs more than two embedding batches ahead of the search index', async () => {
    const asked: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const gated = fixture.worker({
      searchIndexReached: async (position) => {
        asked.push(position);
        await released;
      },
    });
    try {
      await gated.start();
      const sections = Array.from({ length: 320 }, (_, i) => `# Valve ${i}\n\nTurn valve ${i} a quarter clockwise to seal it.`);
      const id = await fixture.upload('lagged.md', new TextEncoder().encode(sections.join('\n\n')));
      const deadline = Date.now() + 60_000;
      while (asked.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const held = await fixture.events(id);
      const embedded = held.filter((e) => e.type === 'ChunksEmbedded');
      const chunked = held.filter((e) => e.type === 'DocumentChunked').flatMap((e) => e.data.chunks as unknown[]);
      expect(chunked.length).toBeGreaterThan(4 * 8); // at least five batches (8 chunks each by default)
      // Two batches recorded, and the worker waits for the index to have the first before it embeds a third.
      expect(embedded).toHaveLength(2);
      expect(asked).toEqual([embedded[0]!.position]);
      release();
      expect((await fixture.settled(id)).at(-1)!.type).toBe('DocumentIndexed');
    } finally {
      release();
      await gated.stop();
    }
  });
});
