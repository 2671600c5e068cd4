/**
 * Given/when/then for deciders (Emmett's DeciderSpecification, small): given past events, when a command, then
 * the new events or the DomainError code. Pure: used by *.unit.spec.ts files only.
 */
import { expect } from 'vitest';
import { isDomainError, type ErrorCode } from '../contracts/errors.ts';
import { foldEvents, type Decider, type DomainEvent } from './decider.ts';

export const DeciderSpecification = {
  for<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
    return {
      given(events: readonly Event[]) {
        return {
          when(command: Command) {
            const run = () => decider.decide(command, foldEvents(decider, events));
            return {
              then(expected: readonly Event[]) {
                expect(run()).toEqual(expected);
              },
              thenNothing() {
                expect(run()).toEqual([]);
              },
              thenThrows(code: ErrorCode, message?: string | RegExp) {
                let caught: unknown;
                try {
                  run();
                } catch (error) {
                  caught = error;
                }
                expect(isDomainError(caught), `expected a DomainError ${code}, got ${String(caught)}`).toBe(true);
                if (!isDomainError(caught)) return;
                expect(caught.code).toBe(code);
                if (message !== undefined) expect(caught.message).toMatch(message);
              },
            };
          },
        };
      },
    };
  },
};
