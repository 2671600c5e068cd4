/**
 * Quotas on uploads (query-side/quotas/quotas.ts). Before the body: the owner's documents in flight, and the room
 * left in bytes stored for what Content-Length says the file has at least. While the file streams: the bytes it
 * really has, so a body without a length, or one that lies about it, is stopped as soon as it passes the room left.
 * The file is counted as new bytes even when it turns out to be a document the knowledge base already has (the same
 * bytes again, or ?replace=true): whether it is is known only after the whole body, and reindexDocument needs no upload.
 */
import type { SqlExecutor } from '../../contracts/sql.ts';
import { documentUsageOfOwner } from '../../projections/documents/documents-read-model.ts';
import { findKnowledgeBase } from '../../projections/knowledge-bases/knowledge-bases-read-model.ts';
import type { AuthUser } from '../auth/tokens.ts';
import { assertWithinQuota, isLimited, quotaExceeded, type Quotas } from '../quotas/quotas.ts';

/** What the admitted upload may still add to bytes stored. */
export interface StoredBytesRoom {
  /** The owner's bytes stored when the upload was admitted. */
  stored: number;
  /** QUOTA_BYTES_STORED (0 = no limit). */
  limit: number;
}

export interface UploadQuota {
  /** QUOTA_EXCEEDED when the knowledge base's owner has no document in flight left, or no room for `fileBytesAtLeast`. */
  admit(knowledgeBaseId: string, uploader: AuthUser, fileBytesAtLeast: number): Promise<StoredBytesRoom>;
}

export function createUploadQuota(deps: { readModels: SqlExecutor; quotas: Quotas }): UploadQuota {
  const { documentsInFlight, bytesStored } = deps.quotas;
  return {
    async admit(knowledgeBaseId, uploader, fileBytesAtLeast) {
      if (!isLimited(documentsInFlight) && !isLimited(bytesStored)) return { stored: 0, limit: 0 };
      // A knowledge base not in the read model yet (just created, through another instance) has no documents there
      // either: its uploader, the owner or an admin, stands in for the owner.
      const owner = (await findKnowledgeBase(deps.readModels, knowledgeBaseId))?.ownerId ?? uploader.id;
      const usage = await documentUsageOfOwner(deps.readModels, owner);
      assertWithinQuota('documentsInFlight', documentsInFlight, usage.inFlight);
      // A file has at least one byte: with the quota full, nothing fits.
      assertWithinQuota('bytesStored', bytesStored, usage.bytesStored, Math.max(1, fileBytesAtLeast));
      return { stored: usage.bytesStored, limit: bytesStored };
    },
  };
}

/** The file's bytes as they arrive; QUOTA_EXCEEDED (bytes stored) as soon as they pass the room left. */
export async function* withinStoredBytes(content: AsyncIterable<Uint8Array>, room: StoredBytesRoom) {
  let size = 0;
  for await (const chunk of content) {
    size += chunk.byteLength;
    if (isLimited(room.limit) && room.stored + size > room.limit) throw quotaExceeded('bytesStored', room.limit, room.stored);
    yield chunk;
  }
}
