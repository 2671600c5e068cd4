/**
 * The conversations read model: conversations with their turns (status, question, answer, error, citations, cost,
 * usage, last rating), feedback counts per knowledge base and usage per user, model and day. Built from the
 * conversation-{id} and turn-{id} streams alone, rows and checkpoint in one transaction (the runtime's), so a
 * rebuild equals the live tables.
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { parseConversationEvent, parseTurnEvent, type ConversationEvent } from '../../contracts/turns.ts';
import type { Projector } from '../runtime/projector.ts';
import { CONVERSATION_MIGRATIONS } from './schema.ts';
import { PROJECTED_TURN_EVENT_TYPES, projectTurnEvent } from './turn-rows.ts';

export const CONVERSATIONS_PROJECTOR = 'conversations';

async function projectConversationEvent(tx: SqlExecutor, recorded: RecordedEvent, event: ConversationEvent): Promise<void> {
  switch (event.type) {
    case 'ConversationStarted': {
      const { conversationId, userId, knowledgeBaseId, title, startedAt } = event.data;
      await tx.query(
        `INSERT INTO chat_conversations (id, user_id, knowledge_base_id, title, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (id) DO NOTHING`,
        [conversationId, userId, knowledgeBaseId, title, startedAt],
      );
      return;
    }
    case 'ConversationTurnAdded': {
      const { conversationId, turnId, at } = event.data;
      // The conversation stream's revision orders its turns as the log took them.
      await tx.query(
        `INSERT INTO chat_conversation_turns (conversation_id, turn_id, ordinal) VALUES ($1, $2, $3)
         ON CONFLICT (conversation_id, turn_id) DO NOTHING`,
        [conversationId, turnId, recorded.revision],
      );
      await tx.query(`UPDATE chat_conversations SET updated_at = greatest(updated_at, $2::timestamptz) WHERE id = $1`, [
        conversationId,
        at,
      ]);
      return;
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unknown conversation event ${JSON.stringify(unhandled)}`);
    }
  }
}

export const conversationsProjector: Projector = {
  name: CONVERSATIONS_PROJECTOR,
  version: 2,
  migrations: CONVERSATION_MIGRATIONS,
  filter: {
    eventTypes: ['ConversationStarted', 'ConversationTurnAdded', ...PROJECTED_TURN_EVENT_TYPES],
    streamPrefixes: ['conversation-', 'turn-'],
  },
  async handle(events, tx) {
    for (const recorded of events) {
      if (recorded.streamId.startsWith('conversation-')) await projectConversationEvent(tx, recorded, parseConversationEvent(recorded));
      else await projectTurnEvent(tx, recorded, parseTurnEvent(recorded));
    }
  },
};
