import type { StreamDecider } from '../decider.ts';
import { parseWalletEvent, type WalletCommand, type WalletEvent } from '../../contracts/wallet.ts';
import { decide } from './decide.ts';
import { evolve, initialState, type WalletState } from './state.ts';

export const walletDecider: StreamDecider<WalletCommand, WalletEvent, WalletState> = {
  parseEvent: parseWalletEvent,
  initialState,
  evolve,
  decide,
};
