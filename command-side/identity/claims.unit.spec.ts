import { describe, it } from 'vitest';
import type { EmailReserved, FirstAdminClaimed } from '../../contracts/identity.ts';
import { CLAIM_GRACE_MS, emailReservationDecider, firstAdminDecider } from './claims.ts';
import { DeciderSpecification } from '../decider-specification.ts';

const t0 = '2026-01-01T00:00:00.000Z';
const soon = new Date(Date.parse(t0) + 1000).toISOString();
const afterGrace = new Date(Date.parse(t0) + CLAIM_GRACE_MS).toISOString();

const reserved = (userId: string, reservedAt = t0): EmailReserved => ({
  type: 'EmailReserved',
  data: { email: 'ada@example.com', userId, reservedAt },
});

describe('email reservation', () => {
  const spec = DeciderSpecification.for(emailReservationDecider);
  const reserve = (userId: string, now: string, abandonedHolder?: string) => ({
    type: 'ReserveEmail' as const,
    email: 'ada@example.com',
    userId,
    now,
    ...(abandonedHolder ? { abandonedHolder } : {}),
  });

  it('reserves a free address', () => {
    spec.given([]).when(reserve('u1', t0)).then([reserved('u1')]);
  });

  it('refuses an address another user holds', () => {
    spec.given([reserved('u1')]).when(reserve('u2', afterGrace)).thenThrows('CONFLICT', /already registered/);
  });

  it('a retry by the holder is a no-op', () => {
    spec.given([reserved('u1')]).when(reserve('u1', soon)).thenNothing();
  });

  it('an abandoned reservation is kept during the grace period', () => {
    spec.given([reserved('u1')]).when(reserve('u2', soon, 'u1')).thenThrows('CONFLICT');
  });

  it('an abandoned reservation may be taken over after the grace period', () => {
    spec.given([reserved('u1')]).when(reserve('u2', afterGrace, 'u1')).then([reserved('u2', afterGrace)]);
  });

  it('naming the wrong holder as abandoned takes nothing over', () => {
    spec.given([reserved('u1')]).when(reserve('u2', afterGrace, 'u3')).thenThrows('CONFLICT');
  });
});

describe('first admin claim', () => {
  const spec = DeciderSpecification.for(firstAdminDecider);
  const claimed = (userId: string, claimedAt = t0): FirstAdminClaimed => ({
    type: 'FirstAdminClaimed',
    data: { userId, claimedAt },
  });
  const claim = (userId: string, now: string, abandonedHolder?: string) => ({
    type: 'ClaimFirstAdmin' as const,
    userId,
    now,
    ...(abandonedHolder ? { abandonedHolder } : {}),
  });

  it('the first claimant wins', () => {
    spec.given([]).when(claim('u1', t0)).then([claimed('u1')]);
  });

  it('later users are members: nothing appended', () => {
    spec.given([claimed('u1')]).when(claim('u2', soon)).thenNothing();
  });

  it('a claim abandoned by a registration that died is taken over after the grace period', () => {
    spec.given([claimed('u1')]).when(claim('u2', afterGrace, 'u1')).then([claimed('u2', afterGrace)]);
  });
});
