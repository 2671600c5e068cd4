/**
 * The process manager service's checkpoint on a real store (PGlite): written at most every checkpointEveryMs while
 * instances come and go, never past an unfinished instance, and written once more when the service stops.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { comparePositions, type Position } from '../../contracts/position.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { startProcessManagerService } from './service.ts';

let opened: TestEventStore;
beforeAll(async () => {
  opened = await openTestEventStore('pglite');
});
afterAll(async () => {
  await opened?.close();
});

it('writes the checkpoint at most every checkpointEveryMs, never past an unfinished instance, and once more on stop', async () => {
  const { store } = opened;
  const saves: { at: number; position: Position }[] = [];
  const finished = new Set<string>();
  const service = await startProcessManagerService({
    name: 'test-service',
    store,
    checkpoints: { load: async () => '0-0', save: async (_name, position) => void saves.push({ at: performance.now(), position }) },
    filter: { streamPrefixes: ['job-'] },
    classify: (event) => ({ instanceId: String(event.data.id), kind: event.type === 'JobStarted' ? 'start' : 'end' }),
    drive: async (instanceId) => finished.has(instanceId),
    checkpointEveryMs: 300,
  });
  try {
    const started = performance.now();
    let lastEnd: Position = '0-0';
    for (let i = 0; i < 40; i++) {
      await store.append(`job-${i}`, [{ type: 'JobStarted', data: { id: i } }], 'no_stream');
      finished.add(String(i));
      lastEnd = (await store.append(`job-${i}`, [{ type: 'JobEnded', data: { id: i } }], 0)).position;
    }
    // One job stays open: the checkpoint must not pass its start.
    const open = await store.append('job-open', [{ type: 'JobStarted', data: { id: 'open' } }], 'no_stream');
    await expect.poll(() => saves.at(-1)?.position, { timeout: 5000 }).toBe(lastEnd);
    const during = saves.filter((save) => save.at >= started);
    for (let i = 1; i < during.length; i++) expect(during[i]!.at - during[i - 1]!.at).toBeGreaterThanOrEqual(299);
    expect(during.length).toBeLessThanOrEqual(Math.ceil((performance.now() - started) / 300) + 1);
    expect(saves.every((save) => comparePositions(save.position, open.position) < 0)).toBe(true);
    finished.add('open');
    await store.append('job-open', [{ type: 'JobEnded', data: { id: 'open' } }], 0);
  } finally {
    await service.stop();
  }
});

it('writes the checkpoint it has not written yet when the service stops', async () => {
  const { store } = opened;
  const saves: Position[] = [];
  const service = await startProcessManagerService({
    name: 'test-stop',
    store,
    checkpoints: { load: async () => '0-0', save: async (_name, position) => void saves.push(position) },
    filter: { streamPrefixes: ['task-'] },
    classify: (event) => ({ instanceId: String(event.data.id), kind: event.type === 'TaskStarted' ? 'start' : 'end' }),
    drive: async () => true,
    checkpointEveryMs: 60_000,
  });
  const run = async (id: string) => {
    await store.append(`task-${id}`, [{ type: 'TaskStarted', data: { id } }], 'no_stream');
    return (await store.append(`task-${id}`, [{ type: 'TaskEnded', data: { id } }], 0)).position;
  };
  await run('a');
  await expect.poll(() => saves.length, { timeout: 5000 }).toBeGreaterThan(0);
  const second = await run('b');
  await new Promise((resolve) => setTimeout(resolve, 300)); // read by now, not written: the next write is a minute away
  expect(saves.at(-1)).not.toBe(second);
  await service.stop();
  expect(saves.at(-1)).toBe(second);
});
