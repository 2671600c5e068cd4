/**
 * Who runs a projector when several processes share one Postgres: the holder of a session advisory lock, taken on
 * a dedicated connection (one for all projectors of the process). Others stand by and retry. A dropped connection
 * loses its locks, so the holder checks now and then that it still holds them and stands down if not.
 * Correctness does not rest on the lease: every batch locks the projector's checkpoint row and skips what another
 * instance already wrote (runner.ts); the lease only saves the duplicate work.
 * PGlite is one process by construction: there the lease is always granted.
 */
import type { Sql } from '../../contracts/sql.ts';

export interface ProjectorLease {
  readonly kind: 'single-process' | 'advisory-lock';
  tryAcquire(projector: string): Promise<boolean>;
  /** Still held? */
  holds(projector: string): Promise<boolean>;
  release(projector: string): Promise<void>;
  close(): Promise<void>;
}

export const singleProcessLease = (): ProjectorLease => ({
  kind: 'single-process',
  tryAcquire: async () => true,
  holds: async () => true,
  release: async () => undefined,
  close: async () => undefined,
});

/** First key of the two-key advisory lock space, so ours do not collide with other users of advisory locks. */
const LEASE_NAMESPACE = 0x4b41_5052; // "KAPR"

/**
 * `connection` must be one dedicated Postgres session (a pool of max 1): session locks belong to the connection that
 * took them, so a pool could ask `holds` on another one. The lease owns it and closes it.
 */
export function advisoryLockLease(connection: Sql): ProjectorLease {
  return {
    kind: 'advisory-lock',
    async tryAcquire(projector) {
      if (await this.holds(projector)) return true;
      const rows = await connection.query<{ ok: boolean }>(
        `SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS ok`,
        [LEASE_NAMESPACE, projector],
      );
      return rows[0]?.ok === true;
    },
    async holds(projector) {
      const rows = await connection.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
           AND classid = $1::int::oid AND objid = hashtext($2)::oid AND objsubid = 2`,
        [LEASE_NAMESPACE, projector],
      );
      return (rows[0]?.n ?? 0) > 0;
    },
    async release(projector) {
      await connection.query(`SELECT pg_advisory_unlock($1::int, hashtext($2))`, [LEASE_NAMESPACE, projector]);
    },
    close: () => connection.close(),
  };
}
