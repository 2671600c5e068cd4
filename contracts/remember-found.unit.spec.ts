import { describe, expect, it } from 'vitest';
import { rememberFound } from './remember-found.ts';

describe('rememberFound', () => {
  it('asks once per found key, asks again after a miss, and forgets the oldest beyond its limit', async () => {
    const asked: string[] = [];
    const known = new Set(['a', 'b', 'c']);
    const lookup = rememberFound(async (key: string) => {
      asked.push(key);
      return known.has(key) ? key.toUpperCase() : undefined;
    }, 2);
    expect(await lookup('a')).toBe('A');
    expect(await lookup('a')).toBe('A');
    expect(await lookup('x')).toBeUndefined();
    known.add('x');
    expect(await lookup('x')).toBe('X'); // the miss was not remembered
    expect(await lookup('b')).toBe('B'); // a (the oldest) is forgotten: the limit is 2
    expect(await lookup('a')).toBe('A');
    expect(asked).toEqual(['a', 'x', 'x', 'b', 'a']);
  });

  it('asks again after forget, and after maxAgeMs', async () => {
    const asked: string[] = [];
    let clock = 0;
    const lookup = rememberFound(
      async (key: string) => {
        asked.push(key);
        return key.toUpperCase();
      },
      10,
      1000,
      () => clock,
    );
    await lookup('a');
    await lookup('a');
    lookup.forget('a');
    await lookup('a');
    clock += 999;
    await lookup('a');
    clock += 1;
    await lookup('a');
    expect(asked).toEqual(['a', 'a', 'a']);
  });

  it('keeps a value for the age the value itself gives', async () => {
    let clock = 0;
    const asked: number[] = [];
    const lookup = rememberFound(
      async (key: string) => {
        asked.push(clock);
        return { key, endsAt: clock + (key === 'short' ? 10 : 100) };
      },
      10,
      (value) => value.endsAt - clock,
      () => clock,
    );
    await lookup('short');
    await lookup('long');
    clock = 50;
    await lookup('short'); // past its own end: asked again
    await lookup('long'); // still within its own
    expect(asked).toEqual([0, 0, 50]);
  });
});
