/**
 * A key's credits per UTC day. The wallet decides whether the owner can pay; this decides whether the key may
 * spend more today, before the question is recorded, race-free: an answer is admitted by adding its worst case (the
 * hold the turn will ask the wallet for) to the day's counter atomically, refused when that would pass the limit,
 * and settled to what it really cost once it ends. So concurrent requests can never together pass the limit; they
 * may be refused while holds of answers in flight are counted at their worst case.
 *
 * The counter lives in Redis with REDIS_URL (one per key and day, shared by every api instance), in process
 * otherwise. A counter that does not exist yet (first request of the day, a process restarted, Redis flushed) starts
 * from what the ledger says the key was charged that day (`seed`); answers in flight at that moment are not in it.
 * A process that dies with answers in flight leaves their worst case counted: the key may be refused early that
 * day, never let past its limit.
 */
export interface SpendAdmission {
  /** Settles the admitted worst case to the real cost (0 for an answer that failed or was rejected). */
  settle(cost: number): Promise<void>;
}

export type SpendVerdict = { admitted: true; admission: SpendAdmission } | { admitted: false; spent: number };

export interface DailySpend {
  /** Adds `amount` to the key's counter of `day` unless that passes `limit`. */
  admit(apiKeyId: string, day: string, amount: number, limit: number, seed: () => Promise<number>): Promise<SpendVerdict>;
  close(): Promise<void>;
}

/** The UTC day of an instant (YYYY-MM-DD), and the seconds left of it (Retry-After of a key over its day's limit). */
export function utcDayOf(now: Date): { day: string; secondsLeft: number } {
  const day = now.toISOString().slice(0, 10);
  const next = Date.parse(`${day}T00:00:00.000Z`) + 86_400_000;
  return { day, secondsLeft: Math.max(1, Math.ceil((next - now.getTime()) / 1000)) };
}

/** In process: one api process (the embedded default). Days other than today's are dropped as they pass. */
export function memoryDailySpend(): DailySpend {
  const counters = new Map<string, number>();
  const seeding = new Map<string, Promise<void>>();
  let today = '';
  return {
    async admit(apiKeyId, day, amount, limit, seed) {
      if (day !== today) {
        for (const key of counters.keys()) if (!key.endsWith(`/${day}`)) counters.delete(key);
        today = day;
      }
      const key = `${apiKeyId}/${day}`;
      if (!counters.has(key)) {
        // One seed per counter, however many requests arrive while it is read.
        let pending = seeding.get(key);
        if (!pending) {
          pending = seed().then((spent) => void (counters.has(key) || counters.set(key, spent)));
          seeding.set(key, pending);
          void pending.finally(() => seeding.delete(key)).catch(() => undefined);
        }
        await pending;
      }
      // From here to the set there is no await: the check and the add are one step for the event loop.
      const spent = counters.get(key) ?? 0;
      if (spent + amount > limit) return { admitted: false, spent };
      counters.set(key, spent + amount);
      return {
        admitted: true,
        admission: {
          async settle(cost) {
            const now = counters.get(key);
            if (now !== undefined) counters.set(key, Math.max(0, now - amount + cost));
          },
        },
      };
    },
    close: async () => undefined,
  };
}
