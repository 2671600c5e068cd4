import { describe, expect, it } from 'vitest';
import type { ReadAllOptions, RecordedEvent } from '../../../contracts/eventstore.ts';
import { comparePositions, formatPosition, START, type Position } from '../../../contracts/position.ts';
import { Backlog, type BacklogLimits, type Entry } from './backlog.ts';
import type { DocumentOwners } from './document-owners.ts';

const LIMITS: BacklogLimits = { total: 200, perUser: 32, perFlow: 16 };
const never = new AbortController().signal;

/** A log of DocumentUploaded triggers, one per [user, knowledge base], positions 1-0, 2-0, ... */
function logOf(flows: ReadonlyArray<readonly [string, string]>): RecordedEvent[] {
  return flows.map(([user, knowledgeBaseId], i) => ({
    id: `e${i}`,
    type: 'DocumentUploaded',
    data: { documentId: `doc-${i}`, uploadedBy: user, knowledgeBaseId, revision: 1 },
    metadata: {},
    streamId: `document-doc-${i}`,
    revision: 0,
    position: formatPosition(i + 1, 0),
    createdAt: new Date(0).toISOString(),
  }));
}

function backlogOver(log: RecordedEvent[], limits = LIMITS) {
  const reads: ReadAllOptions[] = [];
  const store = {
    async readAll(options: ReadAllOptions = {}) {
      reads.push(options);
      const from = Number((options.after ?? START).split('-')[0]); // position i-0 is log[i - 1]
      return log.slice(from, from + (options.maxCount ?? log.length));
    },
  };
  const owners: DocumentOwners = {
    async of(event) {
      return { user: String(event.data.uploadedBy), knowledgeBaseId: String(event.data.knowledgeBaseId) };
    },
  };
  return { backlog: new Backlog({ store, owners, filter: {}, limits, page: 7 }), reads };
}

/** Admits log[from..to) as the subscription would; returns the entries kept and where reading got to. */
async function admitAll(backlog: Backlog, log: RecordedEvent[], lastRead: Position, from = 0, to = log.length) {
  const kept: Entry[] = [];
  for (const event of log.slice(from, to)) {
    const entry = await backlog.admit(event, lastRead, never);
    if (entry) kept.push(entry);
    lastRead = event.position;
  }
  return { kept, lastRead };
}

/** A small seeded generator (mulberry32): the simulation is the same on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('Backlog', () => {
  it("keeps a few of one user's 200 triggers and sets the rest back, so the next user's upload is kept", async () => {
    const log = logOf([...Array.from({ length: 200 }, () => ['alice', 'kb-a'] as const), ['bob', 'kb-b']]);
    const { backlog } = backlogOver(log);
    const { kept, lastRead } = await admitAll(backlog, log, START);
    expect(kept.map((e) => e.flow.user)).toEqual([...Array<string>(16).fill('alice'), 'bob']);
    expect(backlog.size).toBe(17);
    expect(backlog.hasSetBack).toBe(true);
    // The checkpoint stays before Alice's first trigger, and the set-back ones, until they are done.
    expect(backlog.checkpoint(lastRead)).toBe(START);
    for (const entry of kept.slice(0, 16)) backlog.finish(entry);
    expect(backlog.checkpoint(lastRead)).toBe(log[15]!.position);
  });

  it("keeps the first trigger of each of a user's knowledge bases beyond the user's limit", async () => {
    const flows = [
      ...Array.from({ length: 40 }, () => ['alice', 'kb-1'] as const),
      ...Array.from({ length: 40 }, () => ['alice', 'kb-2'] as const),
      ['alice', 'kb-3'] as const,
      ['alice', 'kb-3'] as const,
    ];
    const log = logOf(flows);
    const { backlog } = backlogOver(log);
    const { kept } = await admitAll(backlog, log, START);
    const count = (kb: string) => kept.filter((e) => e.flow.knowledgeBaseId === kb).length;
    expect([count('kb-1'), count('kb-2'), count('kb-3')]).toEqual([16, 16, 1]);
  });

  it('reads set-back triggers back in log order, up to where the subscription is, once a flow runs low', async () => {
    const log = logOf([...Array.from({ length: 40 }, () => ['alice', 'kb-a'] as const), ['bob', 'kb-b']]);
    const { backlog, reads } = backlogOver(log);
    const { kept, lastRead } = await admitAll(backlog, log, START, 0, 30); // the subscription has given 30
    expect(await backlog.readBack(lastRead, never, () => undefined)).toBe(false); // 16 in memory: not low yet
    for (const entry of kept.slice(0, 9)) backlog.finish(entry);
    const readBack: Entry[] = [];
    expect(await backlog.readBack(lastRead, never, (_, entry) => readBack.push(entry))).toBe(true);
    expect(readBack.map((e) => e.position)).toEqual(log.slice(16, 25).map((e) => e.position));
    expect(readBack[0]!.after).toBe(log[15]!.position);
    for (const entry of [...kept.slice(9), ...readBack]) backlog.finish(entry);
    readBack.length = 0;
    await backlog.readBack(lastRead, never, (_, entry) => readBack.push(entry));
    // Only up to the subscription's position (30): it delivers the rest itself, so nothing is kept twice.
    expect(readBack.map((e) => e.position)).toEqual(log.slice(25, 30).map((e) => e.position));
    expect(backlog.hasSetBack).toBe(false);
    expect(reads.every((r) => r.maxCount === 7)).toBe(true);
    const rest = await admitAll(backlog, log, lastRead, 30);
    expect(rest.kept.map((e) => e.position)).toEqual(log.slice(30).map((e) => e.position));
  });

  it('in a random run keeps every trigger once, stays bounded, and never checkpoints past one not done', async () => {
    const next = random(7);
    const users = ['alice', 'bob', 'carol', 'dave'];
    const flows = Array.from({ length: 3000 }, () => {
      const user = users[Math.floor(next() ** 2 * users.length)]!; // alice uploads most
      return [user, `${user}-kb-${Math.floor(next() * (user === 'alice' ? 5 : 2))}`] as const;
    });
    const log = logOf(flows);
    const { backlog } = backlogOver(log, { total: 60, perUser: 12, perFlow: 8 });
    const keptOnce = new Set<Position>();
    const inMemory: Entry[] = [];
    const done = new Set<Position>();
    const keep = (entry: Entry) => {
      expect(keptOnce.has(entry.position), `${entry.position} kept twice`).toBe(false);
      keptOnce.add(entry.position);
      inMemory.push(entry);
    };
    let lastRead = START;
    let read = 0;
    let checkpoint = START;
    while (done.size < log.length) {
      await backlog.readBack(lastRead, never, (_, entry) => keep(entry));
      if (!backlog.full && read < log.length) {
        const batch = Math.min(log.length, read + 1 + Math.floor(next() * 20));
        const admitted = await admitAll(backlog, log, lastRead, read, batch);
        admitted.kept.forEach(keep);
        ({ lastRead } = admitted);
        read = batch;
      }
      expect(backlog.size).toBeLessThanOrEqual(60 + 20);
      // Documents finish in any order.
      for (let n = Math.floor(next() * 4); n > 0 && inMemory.length > 0; n--) {
        const [entry] = inMemory.splice(Math.floor(next() * inMemory.length), 1);
        backlog.finish(entry!);
        done.add(entry!.position);
      }
      const moved = backlog.checkpoint(lastRead);
      expect(comparePositions(moved, checkpoint)).toBeGreaterThanOrEqual(0);
      const passed = log.slice(Number(checkpoint.split('-')[0]), Number(moved.split('-')[0]));
      const early = passed.find((event) => !done.has(event.position));
      expect(early, `checkpoint ${moved} passed ${early?.position}, not done`).toBeUndefined();
      checkpoint = moved;
    }
    expect(keptOnce.size).toBe(log.length);
    expect(checkpoint).toBe(log.at(-1)!.position);
    expect(backlog.hasSetBack).toBe(false);
  });
});
