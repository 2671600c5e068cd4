/**
 * Business counters derived from the log, not from requests: questions asked, answer tokens, turns finished and
 * credits spent. They are counted from the events a projector has just committed (the projection runtime's
 * afterCommit), which gives two guarantees:
 * - once across processes: a projector runs in one process at a time (its lease), so only that process counts,
 *   and Prometheus may sum over every process without doubling;
 * - once per event: a committed batch is never handed over twice (its checkpoint moved with it), and a rebuild
 *   does not call afterCommit.
 * Each fact is counted on one projector's commits (COUNTED_BY below), since every projector whose filter matches an
 * event sees it. The counters start at 0 with the process, like every Prometheus counter; a projector catching up
 * on a fresh read-model database counts the history it replays once (a step in the graph, not a rate).
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { parseTurnEvent, type TurnEventType } from '../../contracts/turns.ts';
import { parseWalletEvent, type WalletEventType } from '../../contracts/wallet.ts';
import { CONVERSATIONS_PROJECTOR } from '../../projections/conversations/conversations-projector.ts';
import type { AfterCommit } from '../../projections/runtime/index.ts';
import { WALLET_PROJECTOR_NAME } from '../../projections/wallet/wallet-projector.ts';
import { Counter, type Registry } from 'prom-client';

const TURN_COUNTED = ['TurnStarted', 'AnswerCompleted', 'AnswerStopped', 'TurnCompleted', 'TurnStopped', 'TurnFailed', 'TurnRejected'] as const satisfies readonly TurnEventType[];
const WALLET_COUNTED = ['FundsCaptured'] as const satisfies readonly WalletEventType[];

/** The projector on whose commits each counted event type is counted (its filter must match them: tested). */
export const COUNTED_BY: Readonly<Record<string, readonly string[]>> = {
  [CONVERSATIONS_PROJECTOR]: TURN_COUNTED,
  [WALLET_PROJECTOR_NAME]: WALLET_COUNTED,
};

const FINISHED_STATUS: Partial<Record<string, string>> = {
  TurnCompleted: 'completed',
  TurnStopped: 'stopped',
  TurnFailed: 'failed',
  TurnRejected: 'rejected',
};

export function businessMetricsFeed(registry: Registry): AfterCommit {
  const questions = new Counter({
    name: 'questions_asked_total',
    help: 'Questions asked (turns started), by chat model',
    labelNames: ['model'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'answer_tokens_total',
    help: 'Tokens of answered or stopped turns as billed (provider-reported or counted), by model and kind (prompt, completion)',
    labelNames: ['model', 'kind'] as const,
    registers: [registry],
  });
  const finished = new Counter({
    name: 'turns_finished_total',
    help: 'Turns that reached their end, by status (completed, stopped, failed, rejected)',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const credits = new Counter({
    name: 'credits_spent_micros_total',
    help: 'Micro-credits captured from wallets (what answers were charged), by model',
    labelNames: ['model'] as const,
    registers: [registry],
  });

  const countTurnEvent = (recorded: RecordedEvent) => {
    const event = parseTurnEvent(recorded);
    switch (event.type) {
      case 'TurnStarted':
        questions.inc({ model: event.data.model });
        return;
      case 'AnswerCompleted':
      case 'AnswerStopped': {
        const { model, promptTokens, completionTokens } = event.data.usage;
        tokens.inc({ model, kind: 'prompt' }, promptTokens);
        tokens.inc({ model, kind: 'completion' }, completionTokens);
        return;
      }
      default:
        finished.inc({ status: FINISHED_STATUS[event.type] ?? event.type });
    }
  };
  const countWalletEvent = (recorded: RecordedEvent) => {
    const event = parseWalletEvent(recorded);
    if (event.type === 'FundsCaptured') credits.inc({ model: event.data.model }, event.data.amount);
  };
  const countersOf: Record<string, (event: RecordedEvent) => void> = {
    [CONVERSATIONS_PROJECTOR]: countTurnEvent,
    [WALLET_PROJECTOR_NAME]: countWalletEvent,
  };

  return (projector, events) => {
    const count = countersOf[projector];
    const types = COUNTED_BY[projector];
    if (!count || !types) return;
    for (const event of events) if (types.includes(event.type)) count(event);
  };
}
