/** The turn as the API shows it (contracts TurnView), from its folded state. */
import type { TurnView } from '../../contracts/turn-commands.ts';
import { statusOf, type TurnState } from './state.ts';

export function turnView(state: TurnState): TurnView {
  const turn = state.started;
  if (!turn) throw new Error('a turn that does not exist has no view');
  const { answer, end, settlement } = state;
  const spoken = answer && answer.kind !== 'failed' ? answer : null;
  const rejected = end?.type === 'TurnRejected';
  const failed = end?.type === 'TurnFailed';
  const declined = state.funds?.kind === 'declined' ? state.funds : null;
  return {
    id: turn.turnId,
    conversationId: turn.conversationId,
    knowledgeBaseId: turn.knowledgeBaseId,
    userId: turn.userId,
    question: turn.question,
    status: statusOf(state)!,
    answer: spoken?.answer ?? null,
    error: rejected || failed ? end.reason : null,
    errorCode: rejected ? 'INSUFFICIENT_FUNDS' : failed ? 'ANSWER_FAILED' : null,
    fundsNeeded: rejected && declined ? declined.amount : null,
    fundsAvailable: rejected && declined ? declined.available : null,
    citations: spoken?.citations ?? [],
    cost: settlement ? (settlement.kind === 'captured' ? settlement.amount : 0) : rejected ? 0 : null,
    usage: spoken ? { model: spoken.usage.model, promptTokens: spoken.usage.promptTokens, completionTokens: spoken.usage.completionTokens } : null,
    feedback: state.feedback,
    regeneratedFrom: turn.regeneratedFrom,
    createdAt: turn.startedAt,
  };
}
