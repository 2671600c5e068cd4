/** Queries of the conversations read model (owned by conversationsProjector); the chat resolvers read through these. */
import type { SqlExecutor } from '../../contracts/sql.ts';
import type { TurnView } from '../../contracts/turn-commands.ts';
import type { Citation, Rating, TurnStatus } from '../../contracts/turns.ts';

export interface ConversationRow {
  id: string;
  userId: string;
  knowledgeBaseId: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface FeedbackCounts {
  up: number;
  down: number;
}

export interface DailyUsage {
  userId: string;
  model: string;
  /** YYYY-MM-DD, UTC. */
  day: string;
  turns: number;
  promptTokens: number;
  completionTokens: number;
  cost: number;
}

type Raw = Record<string, unknown>;

const iso = (value: unknown) => (value instanceof Date ? value : new Date(String(value))).toISOString();
const optionalNumber = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const citationsOf = (value: unknown): Citation[] => (typeof value === 'string' ? JSON.parse(value) : value) as Citation[];

function toTurn(row: Raw): TurnView {
  const promptTokens = optionalNumber(row.prompt_tokens);
  const completionTokens = optionalNumber(row.completion_tokens);
  return {
    id: String(row.id),
    conversationId: String(row.conversation_id),
    knowledgeBaseId: String(row.knowledge_base_id),
    userId: String(row.user_id),
    question: String(row.question),
    status: row.status as TurnStatus,
    answer: (row.answer as string | null) ?? null,
    error: (row.error as string | null) ?? null,
    errorCode: (row.error_code as string | null) ?? null,
    fundsNeeded: optionalNumber(row.funds_needed),
    fundsAvailable: optionalNumber(row.funds_available),
    citations: citationsOf(row.citations),
    cost: optionalNumber(row.cost),
    usage:
      promptTokens === null || completionTokens === null ? null : { model: String(row.model), promptTokens, completionTokens },
    feedback: row.feedback_rating
      ? { rating: row.feedback_rating as Rating, comment: (row.feedback_comment as string | null) ?? null, at: iso(row.feedback_at) }
      : null,
    regeneratedFrom: (row.regenerated_from as string | null) ?? null,
    createdAt: iso(row.created_at),
  };
}

const toConversation = (row: Raw): ConversationRow => ({
  id: String(row.id),
  userId: String(row.user_id),
  knowledgeBaseId: String(row.knowledge_base_id),
  title: String(row.title),
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

export async function findTurn(sql: SqlExecutor, turnId: string): Promise<TurnView | undefined> {
  const [row] = await sql.query<Raw>(`SELECT * FROM chat_turns WHERE id = $1`, [turnId]);
  return row && toTurn(row);
}

/** The turns of these conversations, each conversation's in the order its stream lists them. */
export async function turnsOfConversations(sql: SqlExecutor, conversationIds: readonly string[]): Promise<Map<string, TurnView[]>> {
  const byConversation = new Map<string, TurnView[]>(conversationIds.map((id) => [id, []]));
  if (conversationIds.length === 0) return byConversation;
  const rows = await sql.query<Raw>(
    `SELECT t.* FROM chat_conversation_turns ct JOIN chat_turns t ON t.id = ct.turn_id
      WHERE ct.conversation_id = ANY($1::text[]) ORDER BY ct.conversation_id, ct.ordinal`,
    [conversationIds],
  );
  for (const row of rows) byConversation.get(String(row.conversation_id))?.push(toTurn(row));
  return byConversation;
}

export async function findConversation(sql: SqlExecutor, conversationId: string): Promise<ConversationRow | undefined> {
  const [row] = await sql.query<Raw>(`SELECT * FROM chat_conversations WHERE id = $1`, [conversationId]);
  return row && toConversation(row);
}

/** The user's conversations, the most recently active first. */
export async function listConversations(sql: SqlExecutor, userId: string): Promise<ConversationRow[]> {
  const rows = await sql.query<Raw>(`SELECT * FROM chat_conversations WHERE user_id = $1 ORDER BY updated_at DESC, id`, [userId]);
  return rows.map(toConversation);
}

export async function feedbackCounts(sql: SqlExecutor, knowledgeBaseId: string): Promise<FeedbackCounts> {
  const [row] = await sql.query<Raw>(`SELECT up, down FROM chat_feedback_counts WHERE knowledge_base_id = $1`, [knowledgeBaseId]);
  return { up: Number(row?.up ?? 0), down: Number(row?.down ?? 0) };
}

/** What the user was charged per model and day, the newest day first. */
export async function dailyUsage(sql: SqlExecutor, userId: string): Promise<DailyUsage[]> {
  const rows = await sql.query<Raw>(
    `SELECT user_id, model, to_char(day, 'YYYY-MM-DD') AS day, turns, prompt_tokens, completion_tokens, cost
       FROM chat_usage_daily WHERE user_id = $1 ORDER BY day DESC, model`,
    [userId],
  );
  return rows.map((row) => ({
    userId: String(row.user_id),
    model: String(row.model),
    day: String(row.day),
    turns: Number(row.turns),
    promptTokens: Number(row.prompt_tokens),
    completionTokens: Number(row.completion_tokens),
    cost: Number(row.cost),
  }));
}
