import { describe, expect, it } from 'vitest';
import { OpenStreams } from './open-streams.ts';

async function* counting(n: number) {
  for (let i = 1; i <= n; i++) yield i;
}

describe('OpenStreams', () => {
  it('counts a stream until it ends, and says when none is open', async () => {
    const streams = new OpenStreams();
    const first = streams.track(counting(2));
    const second = streams.track(counting(5));
    expect(streams.count).toBe(2);
    let none = false;
    void streams.whenNone().then(() => (none = true));
    const seen: number[] = [];
    for await (const n of first) seen.push(n);
    expect(seen).toEqual([1, 2]);
    expect(streams.count).toBe(1);
    await Promise.resolve();
    expect(none).toBe(false);
    await second.return!(undefined); // the subscriber left
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(streams.count).toBe(0);
    expect(none).toBe(true);
  });

  it('stops counting a stream that fails, once', async () => {
    const streams = new OpenStreams();
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      throw new Error('feed lost');
    }
    const stream = streams.track(failing());
    await stream.next();
    await expect(stream.next()).rejects.toThrow('feed lost');
    await stream.return!(undefined);
    expect(streams.count).toBe(0);
    await expect(streams.whenNone()).resolves.toBeUndefined();
  });
});
