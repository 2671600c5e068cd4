/**
 * The conversations read model: conversations with their turns (status, question, answer, error, citations, cost,
 * usage, last rating), feedback counts per knowledge base and usage per user, model and day. Built from the
 * conversation-{id} and turn-{id} streams (and the erasures of users and documents), rows and checkpoint in one transaction (the runtime's), so a
 * rebuild equals the live tables. UserErased and DocumentDeleted erase what they name (erasure-rows.ts).
 */
import { documentEventSchemas } from '../../contracts/documents.ts';
import { eventParser } from '../../contracts/event-parser.ts';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { userEventSchemas } from '../../contracts/identity.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { conversationStream, documentStream, turnStream, userStream } from '../../contracts/streams.ts';
import { parseConversationEvent, parseTurnEvent, type ConversationEvent } from '../../contracts/turns.ts';
import type { Projector } from '../runtime/projector.ts';
import { eraseDocumentExcerpts, eraseUserConversations, unlessErased } from './erasure-rows.ts';
import { CONVERSATION_MIGRATIONS } from './schema.ts';
import { PROJECTED_TURN_EVENT_TYPES, projectTurnEvent } from './turn-rows.ts';

export const CONVERSATIONS_PROJECTOR = 'conversations';

/** Sends the event's statements at once, in order, and returns their replies (see projectTurnEvent). */
function projectConversationEvent(tx: SqlExecutor, recorded: RecordedEvent, event: ConversationEvent): Promise<unknown> {
  switch (event.type) {
    case 'ConversationStarted': {
      const { conversationId, userId, knowledgeBaseId, title, startedAt } = event.data;
      return tx.query(
        `INSERT INTO chat_conversations (id, user_id, knowledge_base_id, title, created_at, updated_at)
         VALUES ($1, $2, $3, ${unlessErased('$2', '$4')}, $5, $5) ON CONFLICT (id) DO NOTHING`,
        [conversationId, userId, knowledgeBaseId, title, startedAt],
      );
    }
    case 'ConversationTurnAdded': {
      const { conversationId, turnId, at } = event.data;
      // The conversation stream's revision orders its turns as the log took them.
      return Promise.all([
        tx.query(
          `INSERT INTO chat_conversation_turns (conversation_id, turn_id, ordinal) VALUES ($1, $2, $3)
           ON CONFLICT (conversation_id, turn_id) DO NOTHING`,
          [conversationId, turnId, recorded.revision],
        ),
        tx.query(`UPDATE chat_conversations SET updated_at = greatest(updated_at, $2::timestamptz) WHERE id = $1`, [conversationId, at]),
      ]);
    }
    default: {
      const unhandled: never = event;
      throw new Error(`unknown conversation event ${JSON.stringify(unhandled)}`);
    }
  }
}

const parseErasure = eventParser({ UserErased: userEventSchemas.UserErased, DocumentDeleted: documentEventSchemas.DocumentDeleted });

async function projectErasure(tx: SqlExecutor, recorded: RecordedEvent): Promise<void> {
  const event = parseErasure(recorded);
  if (event.type === 'UserErased') await eraseUserConversations(tx, event.data.userId, event.data.erasedAt);
  else await eraseDocumentExcerpts(tx, event.data.documentId);
}

export const conversationsProjector: Projector = {
  name: CONVERSATIONS_PROJECTOR,
  // 3: erasures (erasure-rows.ts).
  version: 3,
  migrations: CONVERSATION_MIGRATIONS,
  filter: {
    eventTypes: ['ConversationStarted', 'ConversationTurnAdded', ...PROJECTED_TURN_EVENT_TYPES, 'UserErased', 'DocumentDeleted'],
    streamPrefixes: [conversationStream(''), turnStream(''), userStream(''), documentStream('')],
  },
  // A batch's statements go out one after another without waiting for each reply: a chat turn is some eight
  // statements, and waiting for each took a round trip to the database's thread per statement (on PGlite, the
  // thread woken each time). Erasures, rare and reading as they go, wait for what was sent before them.
  async handle(events, tx) {
    let sent: Promise<unknown>[] = [];
    try {
      for (const recorded of events) {
        if (recorded.streamId.startsWith(conversationStream(''))) sent.push(projectConversationEvent(tx, recorded, parseConversationEvent(recorded)));
        else if (recorded.streamId.startsWith(turnStream(''))) sent.push(projectTurnEvent(tx, recorded, parseTurnEvent(recorded)));
        else {
          await Promise.all(sent);
          sent = [];
          await projectErasure(tx, recorded);
        }
      }
    } catch (error) {
      // Whatever stopped the loop (an event that does not parse), every reply sent is waited for before the
      // transaction ends, so none is left to fail unobserved.
      await Promise.allSettled(sent);
      throw error;
    }
    await Promise.all(sent);
  },
};
