import type { Decider } from '../decider.ts';
import type { WalletCommand, WalletEvent } from '../../contracts/wallet.ts';
import { decide } from './decide.ts';
import { evolve, initialState, type WalletState } from './state.ts';

export const walletDecider: Decider<WalletCommand, WalletEvent, WalletState> = { initialState, evolve, decide };
