/**
 * One turn of a conversation as the chat shows it: what the server last said about it, and its answer while it
 * streams. The server's turn has the last word once it has ended (status, answer, cost); until then the stream's.
 */
import { graphql } from '../graphql/generated';
import type { ChatTurnFieldsFragment } from '../graphql/generated/graphql';
import type { UiError } from '../graphql/errors';
import type { Citation, LiveAnswer } from './useAnswerStream';

export const ChatTurnFields = graphql(`
  fragment ChatTurnFields on Turn {
    id
    conversationId
    question
    answer
    status
    error
    errorCode
    fundsNeeded
    fundsAvailable
    cost
    createdAt
    regeneratedFrom
    citations { ...ChatCitationFields }
    usage { model promptTokens completionTokens }
    feedback { rating comment at }
  }
`);

export type ServerTurn = ChatTurnFieldsFragment;

export interface ChatTurn {
  turn: ServerTurn;
  /** Its answer on the stream: set while it streams, kept afterwards (a failed turn has no recorded answer). */
  live?: LiveAnswer;
  /** stopAnswer was sent; the stream goes on until its done chunk. */
  stopping: boolean;
  /** What the last action on it (stop, regenerate, rate) failed with. */
  actionError?: UiError;
}

export const FINISHED_STATUSES: readonly string[] = ['completed', 'stopped', 'failed', 'rejected'];

export const isFinished = (status: string): boolean => FINISHED_STATUSES.includes(status);

export function isStreaming(item: ChatTurn): boolean {
  const live = item.live?.state;
  return !!live && !live.done && !live.error && !isFinished(item.turn.status);
}

export function statusOf(item: ChatTurn): string {
  if (isFinished(item.turn.status)) return item.turn.status;
  const live = item.live?.state;
  if (live?.done && live.status) return live.status;
  return live?.text ? 'generating' : item.turn.status;
}

export const answerOf = (item: ChatTurn): string => item.turn.answer ?? item.live?.state.text ?? '';

/** The turn's citations; undefined while they are not known yet (the answer is still coming). */
export function citationsOf(item: ChatTurn): readonly Citation[] | undefined {
  if (isFinished(item.turn.status)) return item.turn.citations;
  return item.live?.state.done ? item.live.state.citations : undefined;
}

/** Rated only once it has an answer (the server refuses a rejected or running turn). */
export const isRateable = (item: ChatTurn): boolean => ['completed', 'stopped', 'failed'].includes(statusOf(item));

/** What the user can do to a turn (useChatConversation does it). */
export interface TurnActions {
  stop(item: ChatTurn): Promise<void>;
  regenerate(item: ChatTurn): Promise<void>;
  rate(item: ChatTurn, rating: 'UP' | 'DOWN', comment: string): Promise<void>;
  resume(item: ChatTurn): void;
}
