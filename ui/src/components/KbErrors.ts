/**
 * Which kb.errors message a typed error reads as: the quota used up, the upload limit, an upload cut off, and what a
 * refusal means for what is being done (`subject`: a passage being curated, a question-and-answer pair), else the
 * code itself (the shared errors.* words or the server's own then). Pure, so it is tested without Vue or i18n.
 */
import type { DetailedError } from '../composables/useKnowledgeBases';

export interface KbErrorContext {
  upload?: boolean;
  subject?: 'chunk' | 'qa';
}

/** The key under kb.errors to try first; `known` says whether the messages have a key. */
export function kbErrorKey(error: DetailedError, context: KbErrorContext, known: (key: string) => boolean): string {
  if (error.code === 'QUOTA_EXCEEDED' && error.quota && error.limit !== undefined) return `QUOTA_EXCEEDED_${error.quota}`;
  if (error.code === 'PAYLOAD_TOO_LARGE') return error.limit === undefined ? 'PAYLOAD_TOO_LARGE_unknown' : 'PAYLOAD_TOO_LARGE';
  if (error.code === 'NETWORK' && context.upload) return 'NETWORK_upload';
  if (context.subject && known(`${error.code}_${context.subject}`)) return `${error.code}_${context.subject}`;
  return error.code;
}
