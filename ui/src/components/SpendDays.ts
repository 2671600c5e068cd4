/**
 * Spend per day for the chart: the usage rows (per model and UTC day) summed per day over a window of consecutive
 * days ending today, with the days nothing was spent on filled in as zero so that gaps show as gaps.
 */
export interface UsageRow {
  day: string;
  cost: number;
  promptTokens: number;
  completionTokens: number;
}

export interface DaySpend {
  /** YYYY-MM-DD, UTC, like the server's. */
  day: string;
  cost: number;
  tokens: number;
}

const DAY_MS = 86_400_000;

/** `count` UTC days ending with the day of `today`, oldest first. */
export function lastDays(today: Date, count: number): string[] {
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Array.from({ length: count }, (_, i) => new Date(end - (count - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

export function spendPerDay(rows: readonly UsageRow[], days: readonly string[]): DaySpend[] {
  const byDay = new Map(days.map((day) => [day, { day, cost: 0, tokens: 0 }]));
  for (const row of rows) {
    const total = byDay.get(row.day);
    if (!total) continue;
    total.cost += row.cost;
    total.tokens += row.promptTokens + row.completionTokens;
  }
  return [...byDay.values()];
}

/** Bar heights as fractions of the tallest; a day with any spend stays visible however small next to the peak. */
export function barFractions(spend: readonly DaySpend[], minimumVisible = 0.02): number[] {
  const peak = Math.max(0, ...spend.map((d) => d.cost));
  return spend.map((d) => (peak === 0 || d.cost === 0 ? 0 : Math.max(minimumVisible, d.cost / peak)));
}
