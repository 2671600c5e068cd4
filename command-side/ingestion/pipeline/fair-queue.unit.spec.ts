import { describe, expect, it } from 'vitest';
import { FairQueue } from './fair-queue.ts';

const drain = <T>(queue: FairQueue<T>, max = Infinity): T[] => {
  const out: T[] = [];
  while (out.length < max) {
    const item = queue.shift();
    if (item === undefined) break;
    out.push(item);
  }
  return out;
};

describe('FairQueue', () => {
  it('keeps one flow first in, first out', () => {
    const queue = new FairQueue<string>(2);
    for (const item of ['a1', 'a2', 'a3']) queue.push(['alice', 'kb'], item);
    expect(queue.size).toBe(3);
    expect(drain(queue)).toEqual(['a1', 'a2', 'a3']);
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it("takes a newcomer's first item next, ahead of a long queue's next item", () => {
    const queue = new FairQueue<string>(2);
    for (let i = 0; i < 100; i++) queue.push(['alice', 'kb'], `a${i}`);
    expect(drain(queue, 2)).toEqual(['a0', 'a1']); // two running, as with concurrency 2
    queue.push(['bob', 'kb-b'], 'b0');
    expect(queue.shift()).toBe('b0');
    expect(queue.shift()).toBe('a2');
  });

  it('alternates two long queues, whichever came first going first', () => {
    const queue = new FairQueue<string>(2);
    for (let i = 0; i < 50; i++) queue.push(['alice', 'kb-a'], `a${i}`);
    for (let i = 0; i < 50; i++) queue.push(['bob', 'kb-b'], `b${i}`);
    const order = drain(queue);
    expect(order.slice(0, 6)).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(order).toHaveLength(100);
  });

  it("shares a user's turns between its knowledge bases, not the users' turns", () => {
    const queue = new FairQueue<string>(2);
    for (let i = 0; i < 20; i++) queue.push(['alice', 'kb1'], `a1-${i}`);
    for (let i = 0; i < 20; i++) queue.push(['alice', 'kb2'], `a2-${i}`);
    for (let i = 0; i < 20; i++) queue.push(['bob', 'kb-b'], `b${i}`);
    const order = drain(queue, 8);
    // Bob gets every other turn although Alice has two knowledge bases; Alice's turns alternate between them.
    expect(order).toEqual(['a1-0', 'b0', 'a2-0', 'b1', 'a1-1', 'b2', 'a2-1', 'b3']);
  });

  it("takes a user's first item in a new knowledge base at the user's next turn", () => {
    const queue = new FairQueue<string>(2);
    for (let i = 0; i < 30; i++) queue.push(['alice', 'kb1'], `a1-${i}`);
    drain(queue, 3);
    queue.push(['alice', 'kb2'], 'a2-0');
    expect(queue.shift()).toBe('a2-0');
  });

  it('gives a flow that emptied and refilled at once no extra turn', () => {
    const queue = new FairQueue<string>(1);
    for (let i = 0; i < 10; i++) queue.push(['alice'], `a${i}`);
    queue.push(['bob'], 'b0');
    expect(drain(queue, 2)).toEqual(['a0', 'b0']);
    // Bob's queue is empty; he uploads again right away: Alice (waiting at the same turn, earlier) goes first.
    queue.push(['bob'], 'b1');
    expect(drain(queue, 4)).toEqual(['a1', 'b1', 'a2', 'a3']);
  });

  it('forgets flows that rested past their turn (memory bounded by the active flows)', () => {
    const queue = new FairQueue<string>(1);
    for (let user = 0; user < 1000; user++) queue.push([`user-${user}`], `doc-${user}`);
    expect(drain(queue)).toHaveLength(1000);
    queue.push(['late'], 'x');
    queue.push(['late'], 'y');
    expect(drain(queue)).toEqual(['x', 'y']);
    expect((queue as unknown as { flows: Map<string, unknown> }).flows.size).toBeLessThanOrEqual(1);
  });

  it('refuses keys of the wrong depth', () => {
    expect(() => new FairQueue<string>(2).push(['alice'], 'a')).toThrow(RangeError);
    expect(() => new FairQueue<string>(0)).toThrow(RangeError);
  });
});
