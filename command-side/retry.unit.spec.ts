import { describe, expect, it } from 'vitest';
import { backoffDelay, retry, type Backoff } from './retry.ts';

const exact: Backoff = { firstDelayMs: 100, maxDelayMs: 5000, jitter: 0 };

describe('backoffDelay', () => {
  it('doubles from the first wait up to the cap', () => {
    expect([1, 2, 3, 6, 7, 100, 10_000].map((failures) => backoffDelay(exact, failures))).toEqual([
      100, 200, 400, 3200, 5000, 5000, 5000,
    ]);
  });

  it('draws the jittered share of the wait at random', () => {
    const full: Backoff = { firstDelayMs: 1, maxDelayMs: 50, jitter: 1 };
    expect(backoffDelay(full, 7, () => 0)).toBe(50);
    expect(backoffDelay(full, 7, () => 0.999)).toBeCloseTo(0.05);
    const half: Backoff = { firstDelayMs: 250, maxDelayMs: 8000, jitter: 0.5 };
    expect(backoffDelay(half, 2, () => 0)).toBe(500);
    expect(backoffDelay(half, 2, () => 1)).toBe(250);
  });
});

describe('retry', () => {
  const recordSleeps = (sleeps: number[]) => async (ms: number) => {
    sleeps.push(ms);
  };

  it('runs the attempt again after each failure until it succeeds', async () => {
    const sleeps: number[] = [];
    const seen: number[] = [];
    const result = await retry(
      async (failures) => {
        seen.push(failures);
        if (failures < 2) throw new Error('down');
        return 'up';
      },
      { retries: 5, backoff: exact, sleep: recordSleeps(sleeps) },
    );
    expect([result, seen, sleeps]).toEqual(['up', [0, 1, 2], [100, 200]]);
  });

  it('throws the last failure once the retries are spent', async () => {
    let attempts = 0;
    const failing = retry(
      async () => {
        attempts++;
        throw new Error(`failure ${attempts}`);
      },
      { retries: 2, backoff: exact, sleep: async () => undefined },
    );
    await expect(failing).rejects.toThrow('failure 3');
    expect(attempts).toBe(3);
  });

  it('does not retry a failure shouldRetry refuses', async () => {
    let attempts = 0;
    const refused = retry(
      async () => {
        attempts++;
        throw new TypeError('a bug');
      },
      { retries: Infinity, backoff: exact, shouldRetry: (error) => !(error instanceof TypeError) },
    );
    await expect(refused).rejects.toThrow('a bug');
    expect(attempts).toBe(1);
  });

  it('waits what the failure asks for, capped, and reports each wait', async () => {
    const sleeps: number[] = [];
    const reported: Array<[number, number]> = [];
    await retry(
      async (failures) => {
        if (failures === 0) throw Object.assign(new Error('busy'), { retryAfterMs: 2000 });
        if (failures === 1) throw Object.assign(new Error('busy'), { retryAfterMs: 60_000 });
      },
      {
        retries: 3,
        backoff: exact,
        delayOf: (error) => (error as { retryAfterMs?: number }).retryAfterMs,
        onRetry: (_error, failures, delayMs) => reported.push([failures, delayMs]),
        sleep: recordSleeps(sleeps),
      },
    );
    expect(sleeps).toEqual([2000, 5000]);
    expect(reported).toEqual([
      [1, 2000],
      [2, 5000],
    ]);
  });

  it('ends a wait when aborted and throws the reason instead of trying again', async () => {
    const stopping = new AbortController();
    let attempts = 0;
    const endless = retry(
      async () => {
        attempts++;
        throw new Error('down');
      },
      { retries: Infinity, backoff: { firstDelayMs: 60_000, maxDelayMs: 60_000, jitter: 0 }, signal: stopping.signal },
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    stopping.abort(new Error('stopped'));
    await expect(endless).rejects.toThrow('stopped');
    expect(attempts).toBe(1);
  });
});
