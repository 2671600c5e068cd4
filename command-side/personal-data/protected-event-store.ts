/**
 * The event store with personal data sealed (contracts/personal-data.ts): on append, the personal fields of an
 * event are replaced by `sealed`, one AES-256-GCM value per subject under its key; on every read (streams, the whole
 * log, subscriptions) they are put back, or read as ERASED once the subject's key is shredded. Everything above the
 * store (deciders, projectors, reactors, the saga, the audit trail, replays) therefore sees whole events or erased
 * ones, and only the store itself holds ciphertext.
 *
 * Events written in clear (before sealing existed, or by a tool without this wrapper) are read as they are while
 * their subject has a key or none, and as erased once it is shredded: the bytes stay in the log (it is append-only),
 * but nothing reading through this wrapper shows them again.
 */
import type { EventData, EventStore, EventSubscription, JsonObject, RecordedEvent } from '../../contracts/eventstore.ts';
import { eventLoopTurns } from '../../contracts/event-loop-turns.ts';
import { personalDataRuleOf, type PersonalDataRule } from '../../contracts/personal-data.ts';
import { isSealedValue, open, seal, type SealedValue } from './seal.ts';
import { NO_KEY, SHREDDED, type KeyState, type PersonalDataKeys } from './sql-key-store.ts';

/** The field of stored data that holds the sealed personal parts (SealedValue[]). */
export const SEALED_FIELD = 'sealed';

const sealedOf = (data: JsonObject): SealedValue[] | undefined => {
  const sealed = data[SEALED_FIELD];
  return Array.isArray(sealed) && sealed.every(isSealedValue) ? sealed : undefined;
};

function withoutSealed(data: JsonObject): JsonObject {
  const { [SEALED_FIELD]: _sealed, ...clear } = data;
  return clear;
}

async function sealEvents(keys: PersonalDataKeys, events: readonly EventData[]): Promise<readonly EventData[]> {
  const split = events.map((event) => {
    const rule = personalDataRuleOf(event.type);
    return rule && !sealedOf(event.data) ? rule.split(event.data) : undefined;
  });
  if (split.every((parts) => parts === undefined)) return events;
  const found = await keys.keysToWrite(split.flatMap((parts) => parts?.parts.map((part) => part.subject) ?? []));
  // A document's chunk parts are up to a MiB of text each: the API shares this thread, so it gets turns in between.
  const turns = eventLoopTurns();
  const stored: EventData[] = [];
  for (const [i, event] of events.entries()) {
    const { clear, parts } = split[i] ?? {};
    if (!clear || !parts) {
      stored.push(event);
      continue;
    }
    const sealed: SealedValue[] = [];
    for (const { subject, personal } of parts) {
      const key = found.get(subject);
      if (key === undefined) throw new Error(`no key was made for ${subject}`);
      // A subject erased already (a late write racing its erasure) is left out: it reads as erased, nothing is kept.
      if (key !== SHREDDED) sealed.push(seal(key, subject, event.type, personal));
    }
    stored.push({ ...event, data: { ...clear, [SEALED_FIELD]: sealed } });
    await turns.maybeYield();
  }
  return stored;
}

/** The subjects an event's personal parts belong to, sealed or (written before sealing existed) in clear. */
function subjectsOf(event: RecordedEvent, rule: PersonalDataRule): string[] {
  return sealedOf(event.data)?.map((sealed) => sealed.subject) ?? rule.split(event.data).parts.map((part) => part.subject);
}

/** The parts of one event that can be read: sealed ones opened with their key, clear ones not erased. */
function openParts(event: RecordedEvent, rule: PersonalDataRule, found: Map<string, KeyState>): Map<string, unknown> {
  const opened = new Map<string, unknown>();
  const sealed = sealedOf(event.data);
  if (!sealed) {
    for (const { subject, personal } of rule.split(event.data).parts) if (found.get(subject) !== SHREDDED) opened.set(subject, personal);
    return opened;
  }
  for (const value of sealed) {
    const key = found.get(value.subject);
    // Shredded, or no key at all (a key store lost or restored without it): nobody can read it any more.
    if (!Buffer.isBuffer(key)) continue;
    try {
      opened.set(value.subject, open(key, event.type, value));
    } catch (error) {
      // A key that exists but does not open its value means damage, not erasure: say so rather than hide it.
      throw new Error(`event ${event.id} (${event.type} in ${event.streamId}) does not open with the key of ${value.subject}`, {
        cause: error,
      });
    }
  }
  return opened;
}

/** Whole events again: opened, erased, or the very same objects when there is nothing to open or erase. */
export async function openEvents(keys: PersonalDataKeys, events: RecordedEvent[]): Promise<RecordedEvent[]> {
  const ruled = events.flatMap((event) => {
    const rule = personalDataRuleOf(event.type);
    return rule ? [{ event, rule, subjects: subjectsOf(event, rule) }] : [];
  });
  if (ruled.length === 0) return events;
  const found = await keys.keysToRead(ruled.flatMap((entry) => entry.subjects));
  // Sealed under a key this process remembers as missing: made since by another process, or really lost.
  const keyless = ruled
    .flatMap(({ event }) => sealedOf(event.data)?.map((value) => value.subject) ?? [])
    .filter((subject) => found.get(subject) === NO_KEY);
  if (keyless.length > 0) {
    for (const [subject, state] of await keys.keysToRead(keyless, { fresh: true })) found.set(subject, state);
  }
  const opened = new Map<RecordedEvent, RecordedEvent>();
  const turns = eventLoopTurns();
  for (const { event, rule, subjects } of ruled) {
    const sealed = sealedOf(event.data) !== undefined;
    if (!sealed && !subjects.some((subject) => found.get(subject) === SHREDDED)) continue;
    const clear = sealed ? withoutSealed(event.data) : rule.split(event.data).clear;
    opened.set(event, { ...event, data: rule.join(clear, openParts(event, rule, found)) });
    await turns.maybeYield();
  }
  return events.map((event) => opened.get(event) ?? event);
}

function openSubscription(keys: PersonalDataKeys, subscription: EventSubscription): EventSubscription {
  return {
    nextBatch: async (max) => openEvents(keys, await subscription.nextBatch(max)),
    close: () => subscription.close(),
    async *[Symbol.asyncIterator]() {
      for await (const event of subscription) yield (await openEvents(keys, [event]))[0]!;
    },
  };
}

export function protectPersonalData(store: EventStore, keys: PersonalDataKeys): EventStore {
  return {
    kind: store.kind,
    append: async (streamId, events, expected) => store.append(streamId, await sealEvents(keys, events), expected),
    appendMany: async (appends) => {
      const sealed = [];
      for (const part of appends) sealed.push({ ...part, events: await sealEvents(keys, part.events) });
      return store.appendMany(sealed);
    },
    readStream: async (streamId, options) => openEvents(keys, await store.readStream(streamId, options)),
    readAll: async (options) => openEvents(keys, await store.readAll(options)),
    subscribeToAll: (options) => openSubscription(keys, store.subscribeToAll(options)),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}
