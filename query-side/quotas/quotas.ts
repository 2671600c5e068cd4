/**
 * Per-user quotas (QUOTA_DOCUMENTS_IN_FLIGHT, QUOTA_BYTES_STORED, QUOTA_KNOWLEDGE_BASES, QUOTA_API_KEYS, mapped by
 * the composition root; 0 = no limit). A user's usage is that of the knowledge bases they own, whoever uploaded into them: an
 * admin's upload into Alice's knowledge base counts for Alice, who owns (and may delete) it.
 *
 * Usage is read from the read models, not the log, so a refused command appends nothing and the check costs two
 * indexed queries. The race we accept: requests of one user that run at the same moment each see the usage from
 * before the others, so together they may go over a limit by at most the number of such requests (a sequential
 * client never does: an upload and createKnowledgeBase answer once their read models show them). The quotas guard
 * against a runaway script or a full disk, not against a user racing themselves; closing the race would need a
 * per-user stream appended to by every upload, a bottleneck for that guard.
 */
import { QuotaExceededError } from '../../contracts/errors.ts';

export interface Quotas {
  /** Documents uploaded and not yet indexed or failed (nor deleted). */
  documentsInFlight: number;
  /** Sum of the sizes of the documents that are not deleted (the same file in two knowledge bases counts twice). */
  bytesStored: number;
  knowledgeBases: number;
  /** API keys not revoked: a user's personal ones, or a workspace's. */
  apiKeys: number;
}

export type QuotaName = keyof Quotas;

/** 0 = no limit. */
export const isLimited = (limit: number): boolean => limit > 0;

const MESSAGES: Record<QuotaName, (limit: number, usage: number) => string> = {
  documentsInFlight: (limit, usage) =>
    `quota exceeded: ${usage} of your documents are still being processed and the limit on documents in flight is ` +
    `${limit}; upload again once some of them are indexed`,
  bytesStored: (limit, usage) =>
    `quota exceeded: your documents take ${usage} bytes and this file would take them over the limit on bytes ` +
    `stored of ${limit}; delete documents to make room`,
  // There is no way to delete a knowledge base (yet): only a higher limit makes room.
  knowledgeBases: (limit, usage) =>
    `quota exceeded: you own ${usage} knowledge bases and the limit on knowledge bases is ${limit}`,
  apiKeys: (limit, usage) =>
    `quota exceeded: there are ${usage} API keys in use here and the limit is ${limit}; revoke keys no longer used to make room`,
};

/** Documents in flight finish by themselves, so that refusal is worth retrying; the others need a change first. */
const RETRYABLE: Record<QuotaName, boolean> = { documentsInFlight: true, bytesStored: false, knowledgeBases: false, apiKeys: false };

export const quotaExceeded = (quota: QuotaName, limit: number, usage: number, extra: Record<string, unknown> = {}) =>
  new QuotaExceededError(MESSAGES[quota](limit, usage), { quota, limit, usage, retryable: RETRYABLE[quota], ...extra });

/** QUOTA_EXCEEDED when `adding` more would take `usage` over `limit`. */
export function assertWithinQuota(quota: QuotaName, limit: number, usage: number, adding = 1): void {
  if (isLimited(limit) && usage + adding > limit) throw quotaExceeded(quota, limit, usage);
}
