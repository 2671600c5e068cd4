/**
 * Document claims for workers that share a Postgres: a session advisory lock per document, all taken on ONE
 * dedicated connection per worker process. A crashed worker's connection dies with it and Postgres drops its locks,
 * so another worker takes its documents over at its next try, with no expiry to wait for.
 *
 * postgres.js is used directly (not ops/sql) because the locks live exactly as long as the session: the connection
 * must never be recycled under them (max_lifetime off), and its close must be noticed at once (onclose) so that the
 * worker stops driving documents it no longer holds. The connection opens on the first claim, so processes that
 * never run the worker (ROLE=api) never open it.
 */
import postgres from 'postgres';
import type { DocumentClaim, DocumentClaims } from './document-claims.ts';

/** First key of the two-key advisory lock space; projections/runtime/lease.ts uses 0x4b415052 ("KAPR"). */
const CLAIM_NAMESPACE = 0x4b41_4443; // "KADC"

export interface AdvisoryLockClaimsOptions {
  /** application_name of the claims connection (pg_stat_activity). Default 'document-claims'. */
  name?: string;
}

export function advisoryLockDocumentClaims(databaseUrl: string, options: AdvisoryLockClaimsOptions = {}): DocumentClaims {
  let connection: postgres.Sql | undefined;
  /** Claims held on the current session, each with the controller that tells its driver when it is gone. */
  const held = new Map<string, AbortController>();
  /** Counts sessions: a lock granted while the session changed may have been taken on the dead one. */
  let session = 0;

  const loseAll = (reason: string) => {
    session++;
    for (const controller of held.values()) controller.abort(new Error(reason));
    held.clear();
  };

  const open = (): postgres.Sql => {
    if (connection) return connection;
    const driver: postgres.Sql = postgres(databaseUrl, {
      max: 1,
      max_lifetime: null,
      idle_timeout: 0,
      onnotice: () => {},
      onclose: () => {
        if (connection === driver) loseAll('the document claims connection closed');
      },
      connection: { application_name: options.name ?? 'document-claims' },
    });
    return (connection = driver);
  };

  /** Drops the session, and with it every lock on it (when an unlock could not be confirmed). */
  const reset = async (reason: string) => {
    const driver = connection;
    connection = undefined;
    loseAll(reason);
    await driver?.end({ timeout: 5 }).catch(() => undefined);
  };

  return {
    kind: 'advisory-lock',
    async claim(documentId, signal) {
      // Advisory locks are re-entrant within a session: ask Postgres only for documents this process does not hold.
      if (held.has(documentId) || signal?.aborted) return undefined;
      const driver = open();
      const before = session;
      const [row] = await driver`SELECT pg_try_advisory_lock(${CLAIM_NAMESPACE}::int, hashtext(${documentId})) AS ok`;
      if (row?.ok !== true) return undefined;
      if (session !== before || connection !== driver) {
        // The connection was replaced while we asked: do not keep a lock we could not account for.
        await driver`SELECT pg_advisory_unlock(${CLAIM_NAMESPACE}::int, hashtext(${documentId}))`.catch(() => undefined);
        return undefined;
      }
      const controller = new AbortController();
      held.set(documentId, controller);
      const claim: DocumentClaim = {
        lost: controller.signal,
        async release() {
          if (held.get(documentId) !== controller) return; // released already, or lost with its session
          held.delete(documentId);
          try {
            await driver`SELECT pg_advisory_unlock(${CLAIM_NAMESPACE}::int, hashtext(${documentId}))`;
          } catch {
            // A lock that stays behind would keep every other worker off the document: drop the whole session.
            if (connection === driver) await reset('a document claim could not be released');
          }
        },
      };
      return claim;
    },
    close: () => reset('the document claims were closed'),
  };
}
