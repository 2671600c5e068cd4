import { describe, expect, it } from 'vitest';
import { memoryDailySpend, utcDayOf, type SpendVerdict } from './daily-spend.ts';

const admitted = (verdict: SpendVerdict) => {
  if (!verdict.admitted) throw new Error(`refused with ${verdict.spent} spent`);
  return verdict.admission;
};

describe('credits per day (in process)', () => {
  it('admits worst cases up to the limit, never past it, and settles to the real cost', async () => {
    const spend = memoryDailySpend();
    const seed = async () => 0;
    const first = admitted(await spend.admit('k', '2026-01-01', 400, 1000, seed));
    admitted(await spend.admit('k', '2026-01-01', 400, 1000, seed));
    expect(await spend.admit('k', '2026-01-01', 400, 1000, seed)).toEqual({ admitted: false, spent: 800 });
    // The first answer cost 50 of its 400: room for another worst case.
    await first.settle(50);
    admitted(await spend.admit('k', '2026-01-01', 400, 1000, seed));
    expect(await spend.admit('k', '2026-01-01', 151, 1000, seed)).toEqual({ admitted: false, spent: 850 });
    // Another key, another day: counters of their own.
    admitted(await spend.admit('other', '2026-01-01', 1000, 1000, seed));
    admitted(await spend.admit('k', '2026-01-02', 1000, 1000, seed));
  });

  it('racing admissions never pass the limit together', async () => {
    const spend = memoryDailySpend();
    const verdicts = await Promise.all(Array.from({ length: 50 }, () => spend.admit('k', '2026-01-01', 100, 1050, async () => 0)));
    expect(verdicts.filter((v) => v.admitted)).toHaveLength(10);
  });

  it('starts a new counter from what the ledger says, read once however many requests wait for it', async () => {
    const spend = memoryDailySpend();
    let reads = 0;
    const seed = async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return 900;
    };
    const verdicts = await Promise.all(Array.from({ length: 5 }, () => spend.admit('k', '2026-01-01', 100, 1000, seed)));
    expect(reads).toBe(1);
    expect(verdicts.filter((v) => v.admitted)).toHaveLength(1);
  });

  it('tells the UTC day and the seconds left of it', () => {
    expect(utcDayOf(new Date('2026-03-04T23:59:30.200Z'))).toEqual({ day: '2026-03-04', secondsLeft: 30 });
    expect(utcDayOf(new Date('2026-03-04T00:00:00.000Z'))).toEqual({ day: '2026-03-04', secondsLeft: 86_400 });
  });
});
