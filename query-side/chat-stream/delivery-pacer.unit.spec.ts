import { describe, expect, it } from 'vitest';
import { createDeliveryPacer } from './delivery-pacer.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the event loop busy for `ms`. */
function spin(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('delivery pacer', () => {
  it('sends at once while the loop has room', async () => {
    const pacer = createDeliveryPacer({ sampleMs: 10 });
    for (let i = 0; i < 10; i++) {
      pacer.sent({});
      await sleep(10);
    }
    expect(pacer.interval()).toBe(0);
  });

  it('does not space few messages, however busy the loop', async () => {
    const pacer = createDeliveryPacer({ sampleMs: 10, minMessagesPerSecond: 2000 });
    for (let i = 0; i < 10; i++) {
      pacer.sent({});
      spin(15);
      await sleep(0);
    }
    expect(pacer.interval()).toBe(0);
  });

  it('spaces many messages more while the loop is busy, up to the bound, and less again once it has room', async () => {
    const pacer = createDeliveryPacer({ sampleMs: 10, maxIntervalMs: 40 });
    const intervals: number[] = [];
    for (let i = 0; i < 15; i++) {
      for (let n = 0; n < 100; n++) pacer.sent({});
      spin(15);
      await sleep(0);
      intervals.push(pacer.interval());
    }
    expect(intervals.at(-1)).toBe(40);
    expect(intervals.every((v, i) => i === 0 || v >= intervals[i - 1]!)).toBe(true);
    for (let i = 0; i < 15 && pacer.interval() > 0; i++) {
      pacer.sent({});
      await sleep(12);
    }
    expect(pacer.interval()).toBe(0);
  });
});
