/**
 * Tables of the conversations read model (owned by the conversations projector; the chat resolvers read them):
 * - chat_conversations: who owns one, its knowledge base and title; chat_conversation_turns: its turns in the order
 *   the conversation's stream lists them (a listed turn whose TurnStarted never came is left out by the join);
 * - chat_turns: one row per turn with its status, answer, error, citations (document, chunk, excerpt), cost and
 *   usage, and its last rating; `revision` is the turn stream's, so an older event never overwrites a newer one;
 * - chat_feedback_counts: turns whose last rating is up or down, per knowledge base (owners see what fails);
 * - chat_usage_daily: tokens and micro-credits charged per user, model and day (UTC) of the charge;
 * - chat_erased_users: users whose chat text is erased (erasure-rows.ts).
 */
import type { Migration } from '../runtime/projector.ts';

export const CONVERSATION_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE chat_conversations (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  knowledge_base_id text NOT NULL,
  title text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX chat_conversations_by_user ON chat_conversations (user_id, updated_at DESC, id);
CREATE TABLE chat_conversation_turns (
  conversation_id text NOT NULL,
  turn_id text NOT NULL,
  ordinal integer NOT NULL,
  PRIMARY KEY (conversation_id, turn_id)
);
CREATE TABLE chat_turns (
  id text PRIMARY KEY,
  conversation_id text NOT NULL,
  user_id text NOT NULL,
  knowledge_base_id text NOT NULL,
  question text NOT NULL,
  status text NOT NULL,
  answer text,
  error text,
  error_code text,
  citations jsonb NOT NULL DEFAULT '[]',
  model text NOT NULL,
  max_tokens integer NOT NULL,
  cost bigint,
  prompt_tokens integer,
  completion_tokens integer,
  usage_reported boolean,
  feedback_rating text CHECK (feedback_rating IN ('UP', 'DOWN')),
  feedback_comment text,
  feedback_at timestamptz,
  regenerated_from text,
  created_at timestamptz NOT NULL,
  settled_at timestamptz,
  revision integer NOT NULL
);
CREATE INDEX chat_turns_by_conversation ON chat_turns (conversation_id);
CREATE TABLE chat_feedback_counts (
  knowledge_base_id text PRIMARY KEY,
  up integer NOT NULL,
  down integer NOT NULL
);
CREATE TABLE chat_usage_daily (
  user_id text NOT NULL,
  model text NOT NULL,
  day date NOT NULL,
  turns integer NOT NULL,
  prompt_tokens bigint NOT NULL,
  completion_tokens bigint NOT NULL,
  cost bigint NOT NULL,
  PRIMARY KEY (user_id, model, day)
);`,
  },
  {
    version: 2,
    sql: `
ALTER TABLE chat_turns ADD COLUMN funds_needed bigint;
ALTER TABLE chat_turns ADD COLUMN funds_available bigint;`,
  },
  {
    version: 3,
    sql: `
CREATE TABLE chat_erased_users (
  user_id text PRIMARY KEY,
  erased_at timestamptz NOT NULL
);`,
  },
];
