/**
 * The knowledge_bases read model, with document_count: a document counts between its DocumentUploaded and its
 * DocumentDeleted, and the same document may be uploaded again after a delete (a later stream revision).
 * knowledge_base_documents keeps each document's presence and the stream revision that set it, so a replayed or
 * older event never undoes a newer one, and the count is recomputed from it rather than incremented: replaying an
 * event twice changes nothing. Document events are matched by type name (INGEST-C defines them).
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { documentEventSchemas } from '../../contracts/documents.ts';
import { eventParser } from '../../contracts/event-parser.ts';
import { parseKnowledgeBaseEvent } from '../../contracts/knowledge-base.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { projectorByEventType, type Projector } from '../runtime/projector.ts';

const parsePresence = eventParser({
  DocumentUploaded: documentEventSchemas.DocumentUploaded,
  DocumentDeleted: documentEventSchemas.DocumentDeleted,
});

async function setPresence(event: RecordedEvent, tx: SqlExecutor, present: boolean): Promise<void> {
  const { documentId, knowledgeBaseId } = parsePresence(event).data;
  await tx.query(
    `INSERT INTO knowledge_base_documents (document_id, knowledge_base_id, present, stream_revision)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (document_id) DO UPDATE SET present = EXCLUDED.present, stream_revision = EXCLUDED.stream_revision
     WHERE knowledge_base_documents.stream_revision < EXCLUDED.stream_revision`,
    [documentId, knowledgeBaseId, present, event.revision],
  );
  await tx.query(
    `UPDATE knowledge_bases SET document_count =
       (SELECT count(*) FROM knowledge_base_documents WHERE knowledge_base_id = $1 AND present)
     WHERE id = $1`,
    [knowledgeBaseId],
  );
}

export const knowledgeBasesProjector: Projector = projectorByEventType({
  name: 'knowledge-bases',
  version: 1,
  migrations: [
    {
      version: 1,
      sql: `
        CREATE TABLE knowledge_bases (
          id text PRIMARY KEY,
          name text NOT NULL,
          description text,
          owner_id text NOT NULL,
          document_count integer NOT NULL DEFAULT 0,
          created_at timestamptz NOT NULL
        );
        CREATE INDEX knowledge_bases_owner ON knowledge_bases (owner_id, created_at);
        CREATE TABLE knowledge_base_documents (
          document_id text PRIMARY KEY,
          knowledge_base_id text NOT NULL,
          present boolean NOT NULL,
          stream_revision integer NOT NULL
        );
        CREATE INDEX knowledge_base_documents_kb ON knowledge_base_documents (knowledge_base_id) WHERE present;`,
    },
    {
      // Knowledge bases created before workspaces existed are their owners' own: null is what they had.
      version: 2,
      sql: `
        ALTER TABLE knowledge_bases ADD COLUMN workspace_id text;
        CREATE INDEX knowledge_bases_workspace ON knowledge_bases (workspace_id, created_at) WHERE workspace_id IS NOT NULL;`,
    },
  ],
  handlers: {
    async KnowledgeBaseCreated(event, tx) {
      const { data } = parseKnowledgeBaseEvent(event);
      await tx.query(
        `INSERT INTO knowledge_bases (id, name, description, owner_id, workspace_id, document_count, created_at)
         VALUES ($1, $2, $3, $4, $5,
                 (SELECT count(*) FROM knowledge_base_documents WHERE knowledge_base_id = $1 AND present), $6)
         ON CONFLICT (id) DO NOTHING`,
        [data.knowledgeBaseId, data.name, data.description, data.ownerId, data.workspaceId, data.createdAt],
      );
    },
    DocumentUploaded: (event, tx) => setPresence(event, tx, true),
    DocumentDeleted: (event, tx) => setPresence(event, tx, false),
  },
});
