/**
 * Given/when/then for deciders (Emmett's DeciderSpecification, in small): given past events, when a command, then
 * the new events, or a DomainError with a code.
 */
import { expect } from 'vitest';
import { DomainError, type ErrorCode } from '../../contracts/errors.ts';
import { foldEvents, type Decider, type DomainEvent } from '../decider.ts';

export function specificationFor<Command, Event extends DomainEvent, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: readonly Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, foldEvents(decider, events));
          return {
            then(expected: readonly Event[]) {
              expect(run()).toEqual(expected);
            },
            thenNothingHappens() {
              expect(run()).toEqual([]);
            },
            thenThrows(code: ErrorCode, message?: RegExp) {
              let thrown: unknown;
              try {
                run();
              } catch (error) {
                thrown = error;
              }
              expect(thrown).toBeInstanceOf(DomainError);
              expect((thrown as DomainError).code).toBe(code);
              if (message) expect((thrown as DomainError).message).toMatch(message);
            },
          };
        },
      };
    },
  };
}
