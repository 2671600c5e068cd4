/**
 * Unique claims held by one user, each in its own stream appended at an exact revision (no_stream when new), so two
 * concurrent claimants cannot both win: the email reservation (`email-{sha256}`) and the first-admin claim.
 *
 * Registration appends the claims first and the `user-{id}` stream last. A registration that dies in between
 * leaves a claim whose holder never registered; such an abandoned claim may be taken over once it is older than
 * CLAIM_GRACE_MS, so a crash cannot block an email address (or the admin role) forever. The caller proves the
 * holder abandoned it (its user stream is empty) by naming it in `abandonedHolder`.
 */
import { DomainError } from '../../contracts/errors.ts';
import {
  parseEmailClaimEvent,
  parseFirstAdminClaimEvent,
  type EmailReserved,
  type FirstAdminClaimed,
} from '../../contracts/identity.ts';
import type { StreamDecider } from '../decider.ts';

export const CLAIM_GRACE_MS = 60_000;

export interface ClaimState {
  holder: string | undefined;
  claimedAt: string | undefined;
}

const initialState = (): ClaimState => ({ holder: undefined, claimedAt: undefined });

type ClaimVerdict = 'free' | 'mine' | 'taken';

function verdict(state: ClaimState, claimant: string, abandonedHolder: string | undefined, now: string): ClaimVerdict {
  if (state.holder === undefined) return 'free';
  if (state.holder === claimant) return 'mine';
  const stale = Date.parse(now) - Date.parse(state.claimedAt ?? now) >= CLAIM_GRACE_MS;
  return state.holder === abandonedHolder && stale ? 'free' : 'taken';
}

export type EmailCommand = { type: 'ReserveEmail'; email: string; userId: string; abandonedHolder?: string; now: string };

export const emailReservationDecider: StreamDecider<EmailCommand, EmailReserved, ClaimState> = {
  parseEvent: parseEmailClaimEvent,
  initialState,
  evolve(_state, event) {
    switch (event.type) {
      case 'EmailReserved':
        return { holder: event.data.userId, claimedAt: event.data.reservedAt };
      default: {
        const _unhandled: never = event.type;
        return _state;
      }
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'ReserveEmail': {
        const { email, userId, abandonedHolder, now } = command;
        const result = verdict(state, userId, abandonedHolder, now);
        if (result === 'taken') throw new DomainError('CONFLICT', 'this email address is already registered');
        if (result === 'mine') return [];
        return [{ type: 'EmailReserved', data: { email, userId, reservedAt: now } }];
      }
      default: {
        const unhandled: never = command.type;
        throw new Error(`unhandled command ${String(unhandled)}`);
      }
    }
  },
};

export type FirstAdminCommand = { type: 'ClaimFirstAdmin'; userId: string; abandonedHolder?: string; now: string };

/** Appends only when the claim is won; no event means "someone else is the first user": a member. */
export const firstAdminDecider: StreamDecider<FirstAdminCommand, FirstAdminClaimed, ClaimState> = {
  parseEvent: parseFirstAdminClaimEvent,
  initialState,
  evolve(_state, event) {
    switch (event.type) {
      case 'FirstAdminClaimed':
        return { holder: event.data.userId, claimedAt: event.data.claimedAt };
      default: {
        const _unhandled: never = event.type;
        return _state;
      }
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'ClaimFirstAdmin': {
        const { userId, abandonedHolder, now } = command;
        if (verdict(state, userId, abandonedHolder, now) !== 'free') return [];
        return [{ type: 'FirstAdminClaimed', data: { userId, claimedAt: now } }];
      }
      default: {
        const unhandled: never = command.type;
        throw new Error(`unhandled command ${String(unhandled)}`);
      }
    }
  },
};
