import { fork } from 'node:child_process';
import { readFixture } from '../parsing/testing/fixtures.ts';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDocumentEvents, expectNoDuplicates, openPipelineFixture, type PipelineFixture } from './pipeline.testing.ts';

const CHILD = fileURLToPath(new URL('./crashing-worker.testing.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs a worker process until it kills itself at `crashAt`; resolves with the signal that ended it. */
function runCrashingWorker(fixture: PipelineFixture, crashAt: string): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: ['--import', TSX],
      env: { ...process.env, CRASH_DB_URL: fixture.url, CRASH_BLOB_DIR: fixture.blobDir, CRASH_AT: crashAt },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 150_000);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    });
  });
}

describe('pipeline worker killed mid-document, then restarted', () => {
  let fixture: PipelineFixture;
  beforeAll(async () => {
    fixture = await openPipelineFixture('postgres');
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('resumes after a crash between embedding batches without duplicating anything', { timeout: 240_000 }, async () => {
    const id = await fixture.upload('maint-guide.en.pdf', await readFixture('maint-guide.en.pdf'));
    expect(await runCrashingWorker(fixture, 'embed:3')).toBe('SIGKILL');
    const beforeRestart = await fixture.events(id);
    expect(beforeRestart.map((e) => e.type)).toEqual([
      'DocumentUploaded',
      'DocumentParsingStarted',
      'DocumentParsed',
      ...beforeRestart.filter((e) => e.type === 'DocumentChunked').map(() => 'DocumentChunked'),
      'ChunksEmbedded',
      'ChunksEmbedded',
    ]);
    const worker = fixture.worker();
    await worker.start();
    const recorded = await fixture.settled(id);
    await worker.stop();
    expect(recorded.at(-1)!.type).toBe('DocumentIndexed');
    expect(recorded.slice(0, beforeRestart.length).map((e) => e.id)).toEqual(beforeRestart.map((e) => e.id));
    const { chunkIds, embedded } = expectNoDuplicates(recorded);
    expect([...embedded].sort()).toEqual([...chunkIds].sort());
  });

  it('counts a crash while parsing as an attempt, and gives up on a file that keeps killing workers', { timeout: 400_000 }, async () => {
    const id = await fixture.upload('tables.docx', await readFixture('tables.docx'));
    for (let i = 0; i < 3; i++) expect(await runCrashingWorker(fixture, 'parse')).toBe('SIGKILL');
    const attempts = asDocumentEvents(await fixture.events(id)).flatMap((e) => (e.type === 'DocumentParsingStarted' ? [e.data.attempt] : []));
    expect(attempts).toEqual([1, 2, 3]);
    await fixture.worker().start();
    const recorded = await fixture.settled(id);
    expect(recorded.at(-1)).toMatchObject({
      type: 'DocumentFailed',
      data: { step: 'parse', reason: 'parsing stopped the worker 3 times: the file is probably malformed' },
    });
  });
});
