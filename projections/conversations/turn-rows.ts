/**
 * What each turn event does to chat_turns, and through it to the feedback counts and the daily usage. Every update
 * is guarded by the turn stream's revision (the row moves only forward), and the counts and usage change only when
 * their turn's row did, so an event handled twice changes nothing, on top of the runtime's checkpoint.
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { ERASED } from '../../contracts/personal-data.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { TurnEvent, TurnEventOf } from '../../contracts/turns.ts';
import { citationsErased, isErasedUser, unlessErased } from './erasure-rows.ts';

type Value = string | number | boolean | null;
/** A column's new value, its SQL type and, for personal data, what it becomes when its user was erased (SQL). */
type Column = [value: Value, type: string, erased?: (value: string) => string];

/** Sets `columns` on the turn's row unless it already reflects a later event. */
function updateTurn(tx: SqlExecutor, recorded: RecordedEvent, turnId: string, columns: Record<string, Column>): Promise<unknown> {
  const entries = Object.entries(columns);
  const assignments = entries
    .map(([name, [, type, erased]], index) => {
      const value = `$${index + 3}::${type}`;
      return `${name} = ${erased ? `CASE WHEN ${isErasedUser('chat_turns.user_id')} THEN ${erased(value)} ELSE ${value} END` : value}`;
    })
    .join(', ');
  return tx.query(`UPDATE chat_turns SET ${assignments}, revision = $2 WHERE id = $1 AND revision < $2`, [
    turnId,
    recorded.revision,
    ...entries.map(([, [value]]) => value),
  ]);
}

function startTurn(tx: SqlExecutor, recorded: RecordedEvent, data: TurnEventOf<'TurnStarted'>['data']): Promise<unknown> {
  return tx.query(
    `INSERT INTO chat_turns (id, conversation_id, user_id, knowledge_base_id, question, status, model, max_tokens,
                             regenerated_from, created_at, revision)
     VALUES ($1, $2, $3, $4, ${unlessErased('$3', '$5')}, 'reserving', $6, $7, $8, $9, $10)
     ON CONFLICT (id) DO NOTHING`,
    [
      data.turnId,
      data.conversationId,
      data.userId,
      data.knowledgeBaseId,
      data.question,
      data.model,
      data.maxTokens,
      data.regeneratedFrom,
      data.startedAt,
      recorded.revision,
    ],
  );
}

/** The turn is charged: its row settles and its usage is added to the day of the charge (UTC). */
function settleCharged(tx: SqlExecutor, recorded: RecordedEvent, event: TurnEventOf<'TurnCompleted' | 'TurnStopped'>): Promise<unknown> {
  const status = event.type === 'TurnCompleted' ? 'completed' : 'stopped';
  return tx.query(
    `WITH settled AS (
       UPDATE chat_turns SET status = $3::text, cost = $4::int8, settled_at = $5::timestamptz, revision = $2
        WHERE id = $1 AND revision < $2
        RETURNING user_id, model, prompt_tokens, completion_tokens, cost, settled_at)
     INSERT INTO chat_usage_daily (user_id, model, day, turns, prompt_tokens, completion_tokens, cost)
     SELECT user_id, model, (settled_at AT TIME ZONE 'UTC')::date, 1, coalesce(prompt_tokens, 0),
            coalesce(completion_tokens, 0), cost
       FROM settled
     ON CONFLICT (user_id, model, day) DO UPDATE SET
       turns = chat_usage_daily.turns + 1,
       prompt_tokens = chat_usage_daily.prompt_tokens + EXCLUDED.prompt_tokens,
       completion_tokens = chat_usage_daily.completion_tokens + EXCLUDED.completion_tokens,
       cost = chat_usage_daily.cost + EXCLUDED.cost`,
    [event.data.turnId, recorded.revision, status, event.data.cost, event.data.at],
  );
}

/** The last rating counts: the knowledge base's counts move from the turn's previous rating to this one. */
function rate(tx: SqlExecutor, recorded: RecordedEvent, data: TurnEventOf<'TurnRated'>['data']): Promise<unknown> {
  return tx.query(
    `WITH before AS (
       SELECT id, knowledge_base_id, feedback_rating FROM chat_turns WHERE id = $1 AND revision < $2),
     rated AS (
       UPDATE chat_turns t SET feedback_rating = $3::text,
                              feedback_comment = CASE WHEN $4::text IS NULL THEN NULL ELSE ${unlessErased('t.user_id', '$4::text')} END,
                              feedback_at = $5::timestamptz,
                              revision = $2
         FROM before WHERE t.id = before.id
       RETURNING before.knowledge_base_id, before.feedback_rating AS previous)
     INSERT INTO chat_feedback_counts (knowledge_base_id, up, down)
     SELECT knowledge_base_id,
            (CASE WHEN $3::text = 'UP' THEN 1 ELSE 0 END) - (CASE WHEN previous = 'UP' THEN 1 ELSE 0 END),
            (CASE WHEN $3::text = 'DOWN' THEN 1 ELSE 0 END) - (CASE WHEN previous = 'DOWN' THEN 1 ELSE 0 END)
       FROM rated
     ON CONFLICT (knowledge_base_id) DO UPDATE SET
       up = chat_feedback_counts.up + EXCLUDED.up,
       down = chat_feedback_counts.down + EXCLUDED.down`,
    [data.turnId, recorded.revision, data.rating, data.comment, data.at],
  );
}

/**
 * Sends the event's statement at once and returns its reply: a caller may send the next event's before this one's
 * reply is in (the driver keeps the order; no statement here reads another's result).
 */
export function projectTurnEvent(tx: SqlExecutor, recorded: RecordedEvent, event: TurnEvent): Promise<unknown> {
  switch (event.type) {
    case 'TurnStarted':
      return startTurn(tx, recorded, event.data);
    case 'TurnFundsReserved':
      return updateTurn(tx, recorded, event.data.turnId, { status: ['retrieving', 'text'] });
    case 'RetrievalCompleted':
      return updateTurn(tx, recorded, event.data.turnId, { status: ['generating', 'text'] });
    case 'AnswerCompleted':
    case 'AnswerStopped': {
      const { turnId, answer, usage, citations } = event.data;
      return updateTurn(tx, recorded, turnId, {
        answer: [answer, 'text', () => `'${ERASED}'`],
        // Sent as text: a parameter typed jsonb would be encoded again by the driver, into a JSON string.
        citations: [JSON.stringify(citations), 'text::jsonb', citationsErased],
        model: [usage.model, 'text'],
        prompt_tokens: [usage.promptTokens, 'int4'],
        completion_tokens: [usage.completionTokens, 'int4'],
        usage_reported: [usage.reported, 'bool'],
      });
    }
    case 'TurnCompleted':
    case 'TurnStopped':
      return settleCharged(tx, recorded, event);
    case 'TurnFailed':
    case 'TurnRejected': {
      const failed = event.type === 'TurnFailed';
      return updateTurn(tx, recorded, event.data.turnId, {
        status: [failed ? 'failed' : 'rejected', 'text'],
        error: [event.data.reason, 'text'],
        error_code: [failed ? 'ANSWER_FAILED' : event.data.code, 'text'],
        funds_needed: [failed ? null : event.data.needed, 'int8'],
        funds_available: [failed ? null : event.data.available, 'int8'],
        cost: [0, 'int8'],
        settled_at: [event.data.at, 'timestamptz'],
      });
    }
    case 'TurnRated':
      return rate(tx, recorded, event.data);
    // The saga's own bookkeeping: nothing a reader of the conversation sees (the wallet's ledger shows the money).
    case 'TurnStopRequested':
    case 'TurnReservationDeclined':
    case 'GenerationStarted':
    case 'AnswerFailed':
    case 'TurnFundsCaptured':
    case 'TurnFundsReleased':
      return Promise.resolve();
    default: {
      const unhandled: never = event;
      throw new Error(`unknown turn event ${JSON.stringify(unhandled)}`);
    }
  }
}

/** The turn events that change rows (the projector's filter): the others only move the checkpoint. */
export const PROJECTED_TURN_EVENT_TYPES = [
  'TurnStarted',
  'TurnFundsReserved',
  'RetrievalCompleted',
  'AnswerCompleted',
  'AnswerStopped',
  'TurnCompleted',
  'TurnStopped',
  'TurnFailed',
  'TurnRejected',
  'TurnRated',
] as const satisfies readonly TurnEvent['type'][];
