import { describe, expect, it } from 'vitest';
import { OpenInstances } from './open-instances.ts';

describe('OpenInstances: the checkpoint never passes an unfinished instance', () => {
  it('stays before the oldest unfinished start and moves on as instances finish, in any order', () => {
    const open = new OpenInstances('0-0');
    open.read('1-0');
    open.started('a', '2-0');
    open.read('3-0');
    open.started('b', '4-0');
    open.read('5-0');
    expect(open.checkpoint()).toBe('1-0');
    open.finished('b');
    expect(open.checkpoint()).toBe('1-0');
    open.finished('a');
    expect(open.checkpoint()).toBe('5-0');
  });

  it('keeps the first start of an instance seen twice, and ignores finishing one it never saw start', () => {
    const open = new OpenInstances('7-0');
    open.started('a', '8-0');
    open.started('a', '9-0');
    open.finished('zzz');
    expect(open.ids()).toEqual(['a']);
    expect(open.checkpoint()).toBe('7-0');
  });
});
