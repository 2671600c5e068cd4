import { describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../contracts/errors.ts';
import { waitUntilVisible, type PendingWrite, type WaitForPosition } from './read-your-writes.ts';

const deps = (waitForPosition: WaitForPosition) => ({ waitForPosition, timeoutMs: 250 });

describe('waitUntilVisible', () => {
  it('is true once the read models show the write, and records nothing', async () => {
    const pending: PendingWrite[] = [];
    const wait = vi.fn<WaitForPosition>(async () => undefined);
    expect(await waitUntilVisible(deps(wait), pending, '7-1', ['users'])).toBe(true);
    expect(wait).toHaveBeenCalledWith('7-1', 250, ['users']);
    expect(pending).toEqual([]);
  });

  it('is true at once when nothing was appended', async () => {
    const wait = vi.fn<WaitForPosition>(async () => undefined);
    expect(await waitUntilVisible(deps(wait), [], undefined)).toBe(true);
    expect(wait).not.toHaveBeenCalled();
  });

  it('is false, never an error, when the read models lag past the bound, naming those behind', async () => {
    const pending: PendingWrite[] = [];
    const lagging: WaitForPosition = async (position) => {
      throw new DomainError('UNAVAILABLE', `read models not caught up to ${position} within 250 ms: knowledge-bases at 0-0`, {
        position,
        behind: ['knowledge-bases'],
      });
    };
    expect(await waitUntilVisible(deps(lagging), pending, '9-3', ['knowledge-bases'])).toBe(false);
    expect(pending).toEqual([
      { position: '9-3', readModels: ['knowledge-bases'], reason: expect.stringMatching(/not caught up to 9-3 within 250 ms/) },
    ]);
  });

  it('is false when a projector it waits for is stopped by a failing event', async () => {
    const pending: PendingWrite[] = [];
    const stopped: WaitForPosition = async () => {
      throw new DomainError('UNAVAILABLE', 'read model documents is stopped by a failing event: boom', {
        projector: 'documents',
        position: '1-1',
      });
    };
    expect(await waitUntilVisible(deps(stopped), pending, '2-2')).toBe(false);
    expect(pending).toEqual([{ position: '2-2', readModels: ['documents'], reason: expect.stringMatching(/stopped/) }]);
  });

  it('does not pass on the text of an unexpected error', async () => {
    const pending: PendingWrite[] = [];
    const broken: WaitForPosition = async () => {
      throw new Error('connection to 10.0.0.7 refused');
    };
    expect(await waitUntilVisible(deps(broken), pending, '3-3', ['wallets'])).toBe(false);
    expect(pending).toEqual([{ position: '3-3', readModels: ['wallets'], reason: 'the read models could not be checked' }]);
  });
});
