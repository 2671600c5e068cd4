/** Credits per day in Redis: one counter per key and day shared by every api instance, atomic under a race. */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../../ops/testing/databases.ts';
import { redisDailySpend } from './redis-daily-spend.ts';

describe('credits per day in Redis', () => {
  const namespace = `ka-test-${randomUUID()}:`;
  // Two clients: two api instances.
  const [one, two] = [redisDailySpend(TEST_REDIS_URL, namespace), redisDailySpend(TEST_REDIS_URL, namespace)];
  afterAll(async () => {
    await one.close();
    await two.close();
  });

  it('racing admissions on two instances never pass the limit together', async () => {
    const key = randomUUID();
    const verdicts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? one : two).admit(key, '2026-01-01', 100, 1050, async () => 0)),
    );
    expect(verdicts.filter((v) => v.admitted)).toHaveLength(10);
  });

  it('starts from the seed, settles to the cost, and never goes below zero', async () => {
    const key = randomUUID();
    const first = await one.admit(key, '2026-01-01', 300, 1000, async () => 600);
    if (!first.admitted) throw new Error('refused');
    expect(await two.admit(key, '2026-01-01', 200, 1000, async () => 0)).toEqual({ admitted: false, spent: 900 });
    await first.admission.settle(20);
    const second = await two.admit(key, '2026-01-01', 300, 1000, async () => 0);
    expect(second.admitted).toBe(true);
    if (second.admitted) await second.admission.settle(-10_000);
    expect(await one.admit(key, '2026-01-01', 1000, 1000, async () => 0)).toMatchObject({ admitted: true });
  });
});
