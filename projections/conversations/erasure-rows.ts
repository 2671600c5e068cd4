/**
 * Erasures in the conversations read model (contracts/personal-data.ts):
 * - UserErased: the user's questions, answers, titles, rating comments and the excerpts their answers quoted read
 *   as ERASED; ids, statuses, costs and usage stay (the wallet and the usage per day still add up). The user is
 *   noted in chat_erased_users, so a turn event of theirs projected after the erasure (an answer that was in flight)
 *   is erased as it lands.
 * - DocumentDeleted: every excerpt quoted from the document reads as ERASED in every turn that cited it.
 * A rebuild reads the same: the events sealed under a shredded key read as ERASED already, and these handlers run
 * at the same place in the log.
 */
import type { SqlExecutor } from '../../contracts/sql.ts';
import { ERASED } from '../../contracts/personal-data.ts';

/** SQL of a citations array (jsonb) with every excerpt erased, or only those quoting `$documentParam`. */
export function citationsErased(citations: string, documentParam?: string): string {
  const quotes = documentParam ? `c->>'documentId' = ${documentParam}` : 'true';
  return `(SELECT coalesce(jsonb_agg(CASE WHEN ${quotes} THEN jsonb_set(c, '{excerpt}', to_jsonb('${ERASED}'::text)) ELSE c END
                                     ORDER BY o), '[]'::jsonb)
             FROM jsonb_array_elements(${citations}) WITH ORDINALITY AS x(c, o))`;
}

/** SQL that is true when the user in `userColumn` was erased. */
export const isErasedUser = (userColumn: string): string =>
  `EXISTS (SELECT 1 FROM chat_erased_users WHERE chat_erased_users.user_id = ${userColumn})`;

/** `value` (SQL), or ERASED when the user in `userColumn` was erased. */
export const unlessErased = (userColumn: string, value: string): string =>
  `CASE WHEN ${isErasedUser(userColumn)} THEN '${ERASED}' ELSE ${value} END`;

export async function eraseUserConversations(tx: SqlExecutor, userId: string, erasedAt: string): Promise<void> {
  await tx.query(`INSERT INTO chat_erased_users (user_id, erased_at) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING`, [
    userId,
    erasedAt,
  ]);
  await tx.query(`UPDATE chat_conversations SET title = $2 WHERE user_id = $1`, [userId, ERASED]);
  await tx.query(
    `UPDATE chat_turns SET question = $2,
                           answer = CASE WHEN answer IS NULL THEN NULL ELSE $2 END,
                           feedback_comment = CASE WHEN feedback_comment IS NULL THEN NULL ELSE $2 END,
                           citations = ${citationsErased('citations')}
      WHERE user_id = $1`,
    [userId, ERASED],
  );
}

export async function eraseDocumentExcerpts(tx: SqlExecutor, documentId: string): Promise<void> {
  await tx.query(
    `UPDATE chat_turns SET citations = ${citationsErased('citations', '$1')}
      WHERE citations @> jsonb_build_array(jsonb_build_object('documentId', $1::text))`,
    [documentId],
  );
}
