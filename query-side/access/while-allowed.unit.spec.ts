import { describe, expect, it } from 'vitest';
import { whileAllowed } from './while-allowed.ts';

async function* events(values: number[], clock: { t: number }, stepMs: number) {
  for (const value of values) {
    clock.t += stepMs;
    yield value;
  }
}

describe('whileAllowed', () => {
  it('passes every event on while the subscriber may see them, checking at most once per interval', async () => {
    const clock = { t: 0 };
    let checks = 0;
    const seen: number[] = [];
    const mayStillSee = async () => (checks++, true);
    for await (const value of whileAllowed(events([1, 2, 3, 4, 5, 6], clock, 400), mayStillSee, 1000, () => clock.t)) seen.push(value);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(checks).toBe(2); // at 1200 ms and 2400 ms
  });

  it('ends at the first event checked after the right is lost (within the interval), and lets go of its source', async () => {
    const clock = { t: 0 };
    let allowed = true;
    let released = false;
    async function* source() {
      try {
        for (let value = 1; ; value++) {
          clock.t += 600;
          if (value === 3) allowed = false;
          yield value;
        }
      } finally {
        released = true;
      }
    }
    const seen: number[] = [];
    for await (const value of whileAllowed(source(), async () => allowed, 1000, () => clock.t)) seen.push(value);
    // Lost just before event 3 (at 1.8 s, checked last at 1.2 s): 3 still goes, the check at 4 (2.4 s) ends it.
    expect(seen).toEqual([1, 2, 3]);
    expect(released).toBe(true);
  });
});
