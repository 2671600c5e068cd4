import { describe, expect, it } from 'vitest';
import type { Infrastructure, Slice } from './slice.ts';
import { projectorsOf, schemaOf, wireSlices } from './wire-slices.ts';

// Slices under test touch no infrastructure.
const infrastructure = {} as Infrastructure;

const counter: Slice<{ next(): number }> = {
  name: 'counter',
  schema: 'extend type Query { count: Int! }',
  create() {
    let n = 0;
    const tick = { name: 'tick', roles: ['worker'] as const, start: async () => undefined, stop: async () => undefined };
    return { provides: { next: () => ++n }, services: [tick] };
  },
};
const reader: Slice = {
  name: 'reader',
  create(deps) {
    const { next } = deps.use(counter);
    return { resolvers: [{ Query: { count: () => next() } }] };
  },
};

describe('wiring slices', () => {
  it('gathers the parts in list order and gives a slice what an earlier one provides', async () => {
    const wired = await wireSlices([counter, reader], infrastructure);
    expect(wired.services.map((s) => s.name)).toEqual(['tick']);
    expect(wired.resolvers).toHaveLength(1);
    expect(schemaOf([counter, reader])).toEqual(['extend type Query { count: Int! }']);
  });

  it('refuses to start when a slice uses one listed after it', async () => {
    await expect(wireSlices([reader, counter], infrastructure)).rejects.toThrow(/reader uses counter/);
  });

  it('refuses a second resolveUser', async () => {
    const lookup: Slice = { name: 'lookup', create: () => ({ resolveUser: async (user) => user }) };
    await expect(wireSlices([lookup, { ...lookup, name: 'other' }], infrastructure)).rejects.toThrow(/other gives a second/);
  });

  it('collects the projectors of the slices that have any', () => {
    expect(projectorsOf([counter, reader], {} as never, { searchIndexVectors: { available: true } })).toEqual([]);
  });
});
