/** One measured figure of `npm run bench`, next to its goal, so the table says at a glance what is met. */
export interface BenchRow {
  /** e.g. "eventstore.pglite.append.batched100" */
  name: string;
  value: number;
  unit: string;
  /** Human-readable goal, e.g. ">= 15000" or "< 50". */
  goal?: string;
  /** Whether the goal is met; undefined when there is no goal. */
  pass?: boolean;
  /** Context: the raw-engine figure measured in the same run, sample size, what limits it. */
  note?: string;
}

export const atLeast = (value: number, goal: number) => ({ goal: `>= ${goal}`, pass: value >= goal });
export const below = (value: number, goal: number) => ({ goal: `< ${goal}`, pass: value < goal });
export const atMost = (value: number, goal: number) => ({ goal: `<= ${goal}`, pass: value <= goal });

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const sortNumbers = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
