/**
 * Keys remembered in memory in front of the key store: every read of a user's stream (each login) and every
 * DocumentChunked part would otherwise ask the database. A shredded subject is remembered for good (erasure is
 * final); a key, or the absence of one, for `ttlMs` only, because another process may shred it meanwhile: that
 * process's own cache forgets at once, the others within ttlMs. A sealed value whose subject is remembered without a
 * key is looked up afresh (`fresh`) before it is taken as erased: another process may have made the key since.
 */
import { NO_KEY, SHREDDED, type KeyState, type PersonalDataKeys } from './sql-key-store.ts';

export interface KeyCacheOptions {
  /** How long a key (or no key) is trusted without asking the store again. Default 60 s. */
  ttlMs?: number;
  /** Subjects remembered at most, the oldest forgotten first. Default 10,000. */
  limit?: number;
  now?: () => number;
}

export function cachedKeys(store: PersonalDataKeys, options: KeyCacheOptions = {}): PersonalDataKeys {
  const ttlMs = options.ttlMs ?? 60_000;
  const limit = options.limit ?? 10_000;
  const now = options.now ?? Date.now;
  const remembered = new Map<string, { state: KeyState; until: number }>();

  const remember = (subject: string, state: KeyState) => {
    remembered.delete(subject);
    remembered.set(subject, { state, until: state === SHREDDED ? Infinity : now() + ttlMs });
    if (remembered.size > limit) remembered.delete(remembered.keys().next().value!);
  };

  /** Remembered states, and the subjects to ask the store about. */
  const lookUp = (subjects: readonly string[]) => {
    const known = new Map<string, KeyState>();
    const unknown: string[] = [];
    for (const subject of new Set(subjects)) {
      const entry = remembered.get(subject);
      if (entry && entry.until > now()) known.set(subject, entry.state);
      else unknown.push(subject);
    }
    return { known, unknown };
  };

  return {
    async keysToRead(subjects, options = {}) {
      const { known, unknown } = options.fresh
        ? { known: new Map<string, KeyState>(), unknown: [...new Set(subjects)] }
        : lookUp(subjects);
      if (unknown.length === 0) return known;
      for (const [subject, state] of await store.keysToRead(unknown)) {
        remember(subject, state);
        known.set(subject, state);
      }
      return known;
    },

    async keysToWrite(subjects) {
      const { known, unknown } = lookUp(subjects);
      const writable = new Map<string, Buffer | typeof SHREDDED>();
      const toMake = [...unknown];
      for (const [subject, state] of known) {
        if (state === NO_KEY) toMake.push(subject);
        else writable.set(subject, state);
      }
      if (toMake.length === 0) return writable;
      for (const [subject, state] of await store.keysToWrite(toMake)) {
        remember(subject, state);
        writable.set(subject, state);
      }
      return writable;
    },

    async shred(subjects) {
      await store.shred(subjects);
      for (const subject of subjects) remember(subject, SHREDDED);
    },
  };
}
