import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Embedder } from '../embedding/embedder.ts';
import { createLocalEmbedder } from '../embedding/local-embedder.ts';
import { advisoryLockDocumentClaims } from './advisory-lock-claims.ts';
import type { DocumentClaims } from './document-claims.ts';
import { asDocumentEvents, expectNoDuplicates, openPipelineFixture, TEST_DIMENSIONS, type PipelineFixture } from './pipeline.testing.ts';

/** The local embedder, counting the texts it was paid to embed (a real model bills per token). */
function countingEmbedder(beforeEmbed: () => Promise<void> = async () => undefined): Embedder & { texts: number; calls: number } {
  const local = createLocalEmbedder({ dimensions: TEST_DIMENSIONS });
  const embedder = {
    model: local.model,
    dimensions: local.dimensions,
    kind: local.kind,
    texts: 0,
    calls: 0,
    async embed(texts: readonly string[]) {
      embedder.calls++;
      await beforeEmbed();
      embedder.texts += texts.length;
      return local.embed(texts);
    },
  };
  return embedder;
}

/** A Markdown manual of a few sections, different for every `n`. */
function manual(n: number): Uint8Array {
  const sections = Array.from({ length: 4 }, (_, s) => {
    const sentences = Array.from({ length: 30 }, (_, i) => `Step ${i} of part ${s} in manual ${n} tightens bolt ${n * 1000 + s * 100 + i}.`);
    return `## Part ${s} of manual ${n}\n\n${sentences.join(' ')}\n`;
  });
  return new TextEncoder().encode(`# Manual ${n}\n\n${sections.join('\n')}`);
}

const chunkCount = (recorded: Parameters<typeof expectNoDuplicates>[0]) => expectNoDuplicates(recorded).chunkIds.length;

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('pipeline workers sharing a Postgres claim documents', () => {
  let fixture: PipelineFixture;
  const opened: DocumentClaims[] = [];
  const unique = randomBytes(4).toString('hex');
  const claims = (name: string) => {
    const made = advisoryLockDocumentClaims(fixture.url!, { name: `claims-test-${name}-${unique}` });
    opened.push(made);
    return made;
  };

  beforeAll(async () => {
    fixture = await openPipelineFixture('postgres');
  });
  afterAll(async () => {
    await fixture?.close();
    for (const made of opened) await made.close();
  });

  it('two workers on the same documents: each document is processed once, each chunk embedded once', { timeout: 60_000 }, async () => {
    const ids: string[] = [];
    for (let n = 0; n < 6; n++) ids.push(await fixture.upload(`manual-${n}.md`, manual(n)));
    const embedders = [countingEmbedder(), countingEmbedder()];
    const workers = embedders.map((embedder, i) => fixture.worker({ embedder, claims: claims(`pair-${i}`), claimRetryMs: 100 }));
    // A failing assertion must not leave these workers running into the next test.
    onTestFinished(async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
    });
    await Promise.all(workers.map((worker) => worker.start()));

    let chunks = 0;
    for (const id of ids) {
      const recorded = await fixture.settled(id, 45_000);
      expect(recorded.at(-1)!.type).toBe('DocumentIndexed');
      chunks += chunkCount(recorded);
      // One worker took each document: parsing was started once, not once per worker.
      const attempts = asDocumentEvents(recorded).filter((e) => e.type === 'DocumentParsingStarted');
      expect(attempts).toHaveLength(1);
    }
    await Promise.all(workers.map((worker) => worker.idle()));
    await Promise.all(workers.map((worker) => worker.stop()));
    expect(chunks).toBeGreaterThan(ids.length);
    expect(embedders[0]!.texts + embedders[1]!.texts).toBe(chunks);
  });

  it('a worker whose claims connection dies loses its document to another worker, which finishes it', { timeout: 60_000 }, async () => {
    const id = await fixture.upload('manual-crash.md', manual(99));
    let entered = false;
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const stuck = countingEmbedder(async () => {
      entered = true;
      await gate;
    });
    const warnings: string[] = [];
    const logger = { info: () => undefined, error: () => undefined, warn: (_: object, msg?: string) => void warnings.push(msg ?? '') };
    const doomed = fixture.worker({ embedder: stuck, claims: claims('doomed'), claimRetryMs: 100, logger });
    onTestFinished(async () => {
      openGate();
      await doomed.stop();
    });
    await doomed.start();
    await until('the first worker is embedding the document', () => entered);

    let refused = 0;
    const rescuerClaims = claims('rescuer');
    const countingRefusals: DocumentClaims = {
      kind: rescuerClaims.kind,
      async claim(documentId, signal) {
        const claim = await rescuerClaims.claim(documentId, signal);
        if (!claim) refused++;
        return claim;
      },
      close: () => rescuerClaims.close(),
    };
    const rescuing = countingEmbedder();
    const rescuer = fixture.worker({ embedder: rescuing, claims: countingRefusals, claimRetryMs: 100 });
    onTestFinished(() => rescuer.stop());
    await rescuer.start();
    await until('the second worker found the document claimed', () => refused > 0);
    expect(rescuing.calls).toBe(0);

    // The first worker's process "dies" as far as Postgres can tell: its claims session is gone.
    const killed = await fixture.sql.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1`,
      [`claims-test-doomed-${unique}`],
    );
    expect(killed).toEqual([{ ok: true }]);

    const recorded = await fixture.settled(id, 45_000);
    expect(recorded.at(-1)!.type).toBe('DocumentIndexed');
    const { chunkIds, embedded } = expectNoDuplicates(recorded);
    expect([...embedded].sort()).toEqual([...chunkIds].sort());
    expect(rescuing.texts).toBe(chunkIds.length);

    // The first worker wakes up: its late batch appends nothing, and it stops driving the document it lost.
    openGate();
    await doomed.idle();
    expect(stuck.calls).toBe(1);
    expect(warnings).toContain('document claim lost; trying again later');
    expect((await fixture.events(id)).map((e) => e.id)).toEqual(recorded.map((e) => e.id));
    await rescuer.stop();
    await doomed.stop();
  });
});
