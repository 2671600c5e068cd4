/**
 * An async lookup whose found answers are remembered, for facts that never change once they exist (who owns a
 * knowledge base, a registered user's role): the store or read model is asked once per key instead of on every
 * request. A miss is not remembered (the fact may appear later); at most `limit` keys are kept, the oldest
 * forgotten first. Shared by the command and query sides, so it lives with the contracts.
 */
export function rememberFound<K, V>(lookup: (key: K) => Promise<V | undefined>, limit = 10_000): (key: K) => Promise<V | undefined> {
  const found = new Map<K, V>();
  return async (key) => {
    const known = found.get(key);
    if (known !== undefined) return known;
    const value = await lookup(key);
    if (value === undefined) return undefined;
    found.set(key, value);
    if (found.size > limit) found.delete(found.keys().next().value!);
    return value;
  };
}
