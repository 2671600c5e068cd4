import { describe, expect, it } from 'vitest';
import { barFractions, lastDays, spendPerDay } from './SpendDays';

describe('spend per day', () => {
  it('counts back whole UTC days, across a month end', () => {
    expect(lastDays(new Date('2026-03-02T23:30:00Z'), 3)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(lastDays(new Date('2026-03-02T00:00:00Z'), 1)).toEqual(['2026-03-02']);
  });

  it('sums the models of a day, fills empty days with zero and drops days outside the window', () => {
    const rows = [
      { day: '2026-03-02', cost: 100, promptTokens: 10, completionTokens: 5 },
      { day: '2026-03-02', cost: 50, promptTokens: 1, completionTokens: 1 },
      { day: '2026-02-28', cost: 7, promptTokens: 2, completionTokens: 0 },
      { day: '2026-01-01', cost: 999, promptTokens: 9, completionTokens: 9 },
    ];
    expect(spendPerDay(rows, ['2026-02-28', '2026-03-01', '2026-03-02'])).toEqual([
      { day: '2026-02-28', cost: 7, tokens: 2 },
      { day: '2026-03-01', cost: 0, tokens: 0 },
      { day: '2026-03-02', cost: 150, tokens: 17 },
    ]);
  });

  it('scales bars to the busiest day, keeping tiny ones visible', () => {
    const day = (cost: number) => ({ day: 'd', cost, tokens: 0 });
    expect(barFractions([day(0), day(50), day(100), day(1)])).toEqual([0, 0.5, 1, 0.02]);
    expect(barFractions([day(0), day(0)])).toEqual([0, 0]);
    expect(barFractions([])).toEqual([]);
  });
});
