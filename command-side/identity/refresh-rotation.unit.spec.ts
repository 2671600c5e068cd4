/**
 * Property: whatever mix of logins, refreshes and replays of old tokens happens, a refresh succeeds exactly when
 * it presents the current token of a family that was never replayed; any replay of a rotated token kills its family.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../contracts/errors.ts';
import type { UserEvent } from '../../contracts/identity.ts';
import { foldEvents } from '../decider.ts';
import { userDecider } from './user-decider.ts';

const now = '2026-01-01T00:00:00.000Z';
const expiresAt = '2026-02-01T00:00:00.000Z';

type Step = { kind: 'login' } | { kind: 'refresh'; family: number; back: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: 'login' }),
  fc.record({ kind: fc.constant('refresh' as const), family: fc.nat(4), back: fc.oneof(fc.constant(0), fc.nat(3)) }),
);

describe('refresh-token rotation (property)', () => {
  it('only the current token of a live family rotates; replaying an old one revokes the family', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let events: UserEvent[] = [
          { type: 'UserRegistered', data: { userId: 'u', email: 'e', displayName: null, role: 'member', passwordHash: 'h', registeredAt: now } },
        ];
        // The model: per family, every token issued in order, and whether it is dead.
        const families: Array<{ tokens: string[]; dead: boolean }> = [];
        let serial = 0;
        for (const s of steps) {
          const state = foldEvents(userDecider, events);
          if (s.kind === 'login' || families.length === 0) {
            const token = `t${serial++}`;
            events = [...events, ...userDecider.decide({ type: 'StartSession', session: { familyId: `f${families.length}`, tokenHash: token, expiresAt }, now }, state)];
            families.push({ tokens: [token], dead: false });
            continue;
          }
          const family = families[s.family % families.length]!;
          const index = Math.max(0, family.tokens.length - 1 - s.back);
          const presented = family.tokens[index]!;
          const isCurrent = index === family.tokens.length - 1;
          const next = `t${serial++}`;
          let produced: UserEvent[] | undefined;
          try {
            produced = userDecider.decide({ type: 'RotateRefreshToken', presentedTokenHash: presented, newTokenHash: next, expiresAt, now }, state);
          } catch (error) {
            expect(isDomainError(error) && error.code).toBe('UNAUTHENTICATED');
          }
          if (family.dead) {
            expect(produced).toBeUndefined();
          } else if (isCurrent) {
            expect(produced?.map((e) => e.type)).toEqual(['RefreshTokenRotated']);
            family.tokens.push(next);
          } else {
            expect(produced?.map((e) => e.type)).toEqual(['RefreshTokenFamilyRevoked']);
            family.dead = true;
          }
          events = [...events, ...(produced ?? [])];
        }
      }),
      { numRuns: 300 },
    );
  });
});
