/**
 * Deleting a document erases its text: once DocumentDeleted is recorded, the keys of its revisions up to the deleted
 * one are shredded (contracts/personal-data.ts), so the chunk texts of its DocumentChunked events read as erased
 * everywhere, replays included. Recorded first, shredded then, as for users: a failed shred fails the call, and
 * deleting again (which appends nothing) shreds again; the erasure reactor also shreds after every DocumentDeleted,
 * including one whose document was uploaded again at once (its stream's last event is then that upload).
 */
import type { DocumentCommands } from '../../contracts/document-commands.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { subjectsErasedBy, type KeyShredder } from '../../contracts/personal-data.ts';
import { documentStream } from '../../contracts/streams.ts';

export function shreddingDeletedText(
  commands: DocumentCommands,
  deps: { store: Pick<EventStore, 'readStream'>; keys: KeyShredder },
): DocumentCommands {
  return {
    ...commands,
    async delete(documentId, actor, metadata) {
      const result = await commands.delete(documentId, actor, metadata);
      const [last] = await deps.store.readStream(documentStream(documentId), { direction: 'backwards', maxCount: 1 });
      if (last) await deps.keys.shred(subjectsErasedBy(last));
      return result;
    },
  };
}
