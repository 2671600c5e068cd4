import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MalformedEventError } from './errors.ts';
import { eventParser } from './event-parser.ts';
import type { JsonObject, RecordedEvent } from './eventstore.ts';
import { assertValidChains, upcastData, withSchemaVersion, type UpcasterChains } from './upcasters.ts';

// A made-up history: v1 { name }, v2 split the name, v3 added a country with a default.
const chains: UpcasterChains = {
  PersonAdded: [
    {
      from: 1,
      upcast: ({ name, ...rest }: JsonObject) => {
        const [first = '', ...last] = String(name).split(' ');
        return { ...rest, firstName: first, lastName: last.join(' ') };
      },
    },
    { from: 2, upcast: (data) => ({ country: 'unknown', ...data }) },
  ],
};
const recorded = (data: JsonObject, schemaVersion?: unknown): RecordedEvent => ({
  id: '00000000-0000-4000-8000-000000000001',
  type: 'PersonAdded',
  data,
  metadata: schemaVersion === undefined ? {} : { schemaVersion },
  streamId: 'person-1',
  revision: 0,
  position: '1-1',
  createdAt: '2026-12-05T00:00:00.000Z',
});

describe('upcaster chains', () => {
  it('reads an unmarked event as version 1 and takes it through every step', () => {
    expect(upcastData(chains, recorded({ name: 'Ada King Lovelace' }))).toEqual({
      firstName: 'Ada',
      lastName: 'King Lovelace',
      country: 'unknown',
    });
  });

  it('starts from the version the event was written in, and leaves a current one alone', () => {
    expect(upcastData(chains, recorded({ firstName: 'Ada', lastName: 'L' }, 2))).toEqual({ firstName: 'Ada', lastName: 'L', country: 'unknown' });
    const current = recorded({ firstName: 'Ada', lastName: 'L', country: 'GB' }, 3);
    expect(upcastData(chains, current)).toBe(current.data);
  });

  it('refuses an event newer than the code, and a version that is not one', () => {
    expect(() => upcastData(chains, recorded({}, 4))).toThrow(MalformedEventError);
    expect(() => upcastData(chains, recorded({}, 4))).toThrow(/schema version 4, newer than this code reads \(3\)/);
    expect(() => upcastData(chains, recorded({}, '2'))).toThrow(/invalid schemaVersion "2"/);
  });

  it('refuses a chain with a gap', () => {
    expect(() => assertValidChains({ X: [{ from: 2, upcast: (d) => d }] })).toThrow(/version 1, 2, 3… in order/);
  });

  it('marks what is written now with the current version, only for types that changed', () => {
    expect(withSchemaVersion(chains, { type: 'PersonAdded', data: {}, metadata: { userId: 'u1' } })).toEqual({
      type: 'PersonAdded',
      data: {},
      metadata: { userId: 'u1', schemaVersion: 3 },
    });
    const unchanged = { type: 'Other', data: {} };
    expect(withSchemaVersion(chains, unchanged)).toBe(unchanged);
  });

  it('is applied where events are parsed, before the current schema checks them', () => {
    const parse = eventParser({ PersonAdded: z.object({ firstName: z.string(), lastName: z.string(), country: z.string() }) }, chains);
    expect(parse(recorded({ name: 'Grace Hopper' })).data).toEqual({ firstName: 'Grace', lastName: 'Hopper', country: 'unknown' });
    const strict = eventParser({ PersonAdded: z.object({ firstName: z.string(), lastName: z.string(), country: z.string() }) }, {});
    expect(() => strict(recorded({ name: 'Grace Hopper' }))).toThrow(/does not match its schema: data\.firstName/);
  });
});
