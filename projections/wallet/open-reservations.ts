/**
 * Holds not yet captured or released, as the wallet read model shows them (metrics: open reservations). Only
 * wallets with something reserved are looked into, through their ledger's primary key, so the cost follows the
 * wallets with holds rather than the whole ledger.
 */
import type { SqlExecutor } from '../../contracts/sql.ts';

export interface OpenReservations {
  /** Reservations with neither a capture nor a release. */
  count: number;
  /** Micro-credits they hold (the sum of every wallet's reserved amount). */
  micros: number;
}

export async function openReservations(sql: SqlExecutor): Promise<OpenReservations> {
  const [row] = await sql.query<{ count: number | string; micros: number | string }>(
    `SELECT
       (SELECT count(*) FROM wallets w
          JOIN wallet_ledger r ON r.user_id = w.user_id AND r.kind = 'reserve'
         WHERE w.reserved > 0
           AND NOT EXISTS (SELECT 1 FROM wallet_ledger s
                            WHERE s.user_id = r.user_id AND s.reservation_id = r.reservation_id
                              AND s.kind IN ('capture', 'release'))) AS count,
       (SELECT COALESCE(sum(reserved), 0) FROM wallets) AS micros`,
  );
  return { count: Number(row?.count ?? 0), micros: Number(row?.micros ?? 0) };
}
