/**
 * Gauges of state the read models hold: open wallet reservations and the ingestion queue, queried at scrape time.
 * They describe shared state, so exactly one process reports each: the one running the projector that writes the
 * table (its lease holder). Every other process, standby projectors included, leaves them out, and Prometheus sums
 * stay right. A failing query leaves its gauge empty for that scrape rather than failing the scrape.
 * The wallet gauges carry the projector they read (label `projector`): prom-client always exposes a gauge without
 * labels (as 0), which would have every other process claim there is nothing open.
 */
import type { Sql } from '../../contracts/sql.ts';
import { documentsProjector } from '../../projections/documents/documents-projector.ts';
import { IN_FLIGHT_STATUSES, ingestionQueue } from '../../projections/documents/ingestion-queue.ts';
import { openReservations, type OpenReservations } from '../../projections/wallet/open-reservations.ts';
import { WALLET_PROJECTOR_NAME } from '../../projections/wallet/wallet-projector.ts';
import { Gauge, type Registry } from 'prom-client';

const SHARED_READ_MS = 1000;

export interface ProjectorStatusSource {
  health(): readonly { name: string; status: string }[];
}

export function registerReadModelGauges(registry: Registry, options: { readModels: Sql; projectors: ProjectorStatusSource }): void {
  const runsHere = (projector: string) => options.projectors.health().some((p) => p.name === projector && p.status === 'running');

  // Both wallet gauges are collected at once in a scrape: they share one query made less than a second ago.
  let reservations: { at: number; read: Promise<OpenReservations | undefined> } | undefined;
  const readReservations = () => {
    if (!reservations || Date.now() - reservations.at > SHARED_READ_MS) {
      reservations = { at: Date.now(), read: openReservations(options.readModels).catch(() => undefined) };
    }
    return reservations.read;
  };
  new Gauge({
    name: 'wallet_open_reservations',
    help: 'Wallet reservations (holds) neither captured nor released yet',
    labelNames: ['projector'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!runsHere(WALLET_PROJECTOR_NAME)) return;
      const read = await readReservations();
      if (read) this.set({ projector: WALLET_PROJECTOR_NAME }, read.count);
    },
  });
  new Gauge({
    name: 'wallet_reserved_micros',
    help: 'Micro-credits held by open reservations across all wallets',
    labelNames: ['projector'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!runsHere(WALLET_PROJECTOR_NAME)) return;
      const read = await readReservations();
      if (read) this.set({ projector: WALLET_PROJECTOR_NAME }, read.micros);
    },
  });
  new Gauge({
    name: 'ingestion_queue_documents',
    help: `Documents uploaded and not yet indexed or failed, by pipeline status (${IN_FLIGHT_STATUSES.join(', ')})`,
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (!runsHere(documentsProjector.name)) return;
      const queue = await ingestionQueue(options.readModels).catch(() => undefined);
      if (!queue) return;
      for (const [status, count] of Object.entries(queue)) this.set({ status }, count);
    },
  });
}
