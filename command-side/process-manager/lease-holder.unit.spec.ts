import { describe, expect, it } from 'vitest';
import { runWhileLeaseHeld, type ServiceLease } from './lease-holder.ts';

/** One lock shared by the "processes" of a test: whoever takes it first holds it until released or revoked. */
function sharedLock() {
  let holder: string | undefined;
  const leaseFor = (who: string): ServiceLease => ({
    tryAcquire: async () => (holder ??= who) === who,
    holds: async () => holder === who,
    release: async () => {
      if (holder === who) holder = undefined;
    },
  });
  return { leaseFor, revoke: () => (holder = undefined), holder: () => holder };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('runWhileLeaseHeld: one active service across processes', () => {
  it('runs the service in the holder only, stands it down when the lease is lost, and lets a standby take over', async () => {
    const lock = sharedLock();
    const running = new Set<string>();
    const start = (who: string) => async () => {
      running.add(who);
      return { stop: async () => void running.delete(who) };
    };
    const options = { standbyMs: 5, checkMs: 5 };
    const a = runWhileLeaseHeld(lock.leaseFor('a'), 'saga', start('a'), options);
    await until(() => a.active());
    const b = runWhileLeaseHeld(lock.leaseFor('b'), 'saga', start('b'), options);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect([...running]).toEqual(['a']);
    expect(b.active()).toBe(false);

    lock.revoke(); // a's connection dropped: its advisory lock is gone
    await until(() => running.has('b') && !running.has('a'));
    expect(a.active()).toBe(false);

    await b.stop();
    expect(lock.holder()).toBeUndefined();
    await until(() => running.has('a'));
    await a.stop();
    expect(running.size).toBe(0);
  });
});
