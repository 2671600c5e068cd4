/**
 * What a turn reacts to: its owner's commands, the wallet's decisions about its reservation (translated from the
 * wallet's events by wallet-steps.ts), and the outcomes of its own steps. Every input carries its time: the rules
 * never read a clock.
 */
import type { AnswerFailureKind, Citation, Rating, RetrievedChunk, TurnUsage } from '../../contracts/turns.ts';
import type { TurnStartedData } from './state.ts';

export type TurnInput =
  // The owner
  | { type: 'StartTurn'; data: TurnStartedData }
  | { type: 'RequestStop'; by: string; at: string }
  | { type: 'RateTurn'; by: string; rating: Rating; comment: string | null; at: string }
  // The wallet (reservation `turn-{turnId}`)
  | { type: 'WalletReserved'; reservationId: string; amount: number; deadlineAt: string; at: string }
  | { type: 'WalletDeclined'; reservationId: string; amount: number; available: number; at: string }
  | { type: 'WalletCaptured'; reservationId: string; amount: number; released: number; at: string }
  | { type: 'WalletReleased'; reservationId: string; amount: number; reason: string; at: string }
  // The saga's own steps
  | { type: 'Retrieved'; chunks: RetrievedChunk[]; at: string }
  | { type: 'GenerationStarting'; at: string }
  | {
      type: 'AnswerGenerated';
      outcome: 'completed' | 'stopped';
      answer: string;
      usage: TurnUsage;
      citations: Citation[];
      finishReason: string | null;
      at: string;
    }
  | { type: 'GenerationFailed'; kind: AnswerFailureKind; reason: string; at: string };

export type TurnInputType = TurnInput['type'];
export type TurnInputOf<T extends TurnInputType> = Extract<TurnInput, { type: T }>;
