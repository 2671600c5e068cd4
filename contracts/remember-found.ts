/**
 * An async lookup whose found answers are remembered, for facts that rarely change once they exist (who owns a
 * knowledge base, a registered user's role): the store or read model is asked once per key instead of on every
 * request. A miss is not remembered (the fact may appear later); at most `limit` keys are kept, the oldest
 * forgotten first. A fact that can end (a user erased) is forgotten where it ends (`forget`) and, for the other
 * processes that remembered it, after `maxAgeMs`; a fact that carries its own end (a token's expiry) gives it as
 * `maxAgeMs(value)`. Shared by the command and query sides, so it lives with the contracts.
 */
export interface RememberedLookup<K, V> {
  (key: K): Promise<V | undefined>;
  /** The next call for this key asks again. */
  forget(key: K): void;
}

export function rememberFound<K, V>(
  lookup: (key: K) => Promise<V | undefined>,
  limit = 10_000,
  maxAgeMs: number | ((value: V) => number) = Infinity,
  now: () => number = Date.now,
): RememberedLookup<K, V> {
  const found = new Map<K, { value: V; until: number }>();
  const remembered = async (key: K) => {
    const known = found.get(key);
    if (known !== undefined && known.until > now()) return known.value;
    const value = await lookup(key);
    if (value === undefined) {
      found.delete(key);
      return undefined;
    }
    found.delete(key);
    found.set(key, { value, until: now() + (typeof maxAgeMs === 'number' ? maxAgeMs : maxAgeMs(value)) });
    if (found.size > limit) found.delete(found.keys().next().value!);
    return value;
  };
  return Object.assign(remembered, { forget: (key: K) => void found.delete(key) });
}
