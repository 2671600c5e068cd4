import { describe, expect, it } from 'vitest';
import { DomainError, WrongExpectedVersionError } from '../contracts/errors.ts';
import type { AppendResult, EventData, EventStore, ExpectedRevision } from '../contracts/eventstore.ts';
import { decideAndAppend, type Decision } from './decider.ts';

/** A store whose appends fail with the given errors first, then succeed. */
function storeFailing(...failures: unknown[]) {
  const appends: ExpectedRevision[] = [];
  const store: Pick<EventStore, 'append'> = {
    async append(_streamId: string, events: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult> {
      appends.push(expected);
      const failure = failures.shift();
      if (failure) throw failure;
      return { nextExpectedRevision: Number(expected === 'no_stream' ? -1 : expected) + events.length, position: '9-9' };
    },
  };
  return { store, appends };
}

const event: EventData = { type: 'Noted', data: {} };
const decision = (revision: number, events: EventData[] = [event]): Decision<string> => ({
  revision,
  events,
  complete: (appended) => (appended ? `appended up to ${appended.nextExpectedRevision}` : 'nothing to append'),
});

describe('decideAndAppend', () => {
  it('decides again on fresh state after a conflict, and tells the caller', async () => {
    const { store, appends } = storeFailing(new WrongExpectedVersionError('s', '3', '4'));
    const attempts: number[] = [];
    let conflicts = 0;
    const result = await decideAndAppend(
      store,
      's',
      async (attempt) => {
        attempts.push(attempt);
        return decision(3 + attempt);
      },
      { onConflict: () => conflicts++ },
    );
    expect([result, attempts, appends, conflicts]).toEqual(['appended up to 5', [0, 1], [3, 4], 1]);
  });

  it('takes ids already stored (a partial duplicate) as a conflict too', async () => {
    const { store, appends } = storeFailing(new DomainError('CONFLICT', 'some event ids are already in the stream'));
    expect(await decideAndAppend(store, 's', async () => decision(-1))).toBe('appended up to 0');
    expect(appends).toEqual(['no_stream', 'no_stream']);
  });

  it('appends nothing when nothing was decided', async () => {
    const { store, appends } = storeFailing();
    expect(await decideAndAppend(store, 's', async () => decision(2, []))).toBe('nothing to append');
    expect(appends).toEqual([]);
  });

  it('does not retry a refusal of the decider', async () => {
    const { store } = storeFailing();
    let attempts = 0;
    const refused = decideAndAppend(store, 's', async () => {
      attempts++;
      throw new DomainError('CONFLICT', 'this email address is already registered');
    });
    await expect(refused).rejects.toThrow('this email address is already registered');
    expect(attempts).toBe(1);
  });

  it('gives up with CONFLICT after maxRetries decisions taken again', async () => {
    const conflict = () => new WrongExpectedVersionError('s', '0', '1');
    const { store, appends } = storeFailing(conflict(), conflict(), conflict(), conflict());
    const busy = decideAndAppend(store, 's', async () => decision(0), { maxRetries: 2 });
    await expect(busy).rejects.toMatchObject({ code: 'CONFLICT', message: 'too many concurrent changes to s; try again' });
    expect(appends).toHaveLength(3);
  });
});
