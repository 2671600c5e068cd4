/**
 * The projectors of this process, for Prometheus: whether each is up, and how far behind the log it is.
 *
 * Lag is the age of the oldest event a projector has not reflected yet (0 when it has reflected everything), read
 * from the log at scrape time: a projector that stalls or fails shows a lag that keeps growing, which the time it
 * took to commit its last batch would not. Only projectors this process holds the lease of report it, so a
 * standby process adds no second series for the same projector.
 */
import type { EventStore } from '../../contracts/eventstore.ts';
import type { Position } from '../../contracts/position.ts';
import { Gauge, type Registry } from 'prom-client';

export interface ProjectorMetricsSource {
  health(): readonly { name: string; status: string; position: Position }[];
}

/** A projector in these states holds its lease here; its position says how far it got. */
const REPORTS_LAG = new Set(['running', 'failed']);

export function registerProjectorMetrics(
  registry: Registry,
  options: { projectors: ProjectorMetricsSource; eventStore: Pick<EventStore, 'readAll'>; now?: () => number },
): void {
  const { projectors, eventStore } = options;
  const now = options.now ?? Date.now;
  new Gauge({
    name: 'projector_up',
    help: '1 when the projector is running, idle or standing by, 0 when failed or stopped',
    labelNames: ['projector', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const p of projectors.health()) {
        this.set({ projector: p.name, status: p.status }, p.status === 'failed' || p.status === 'stopped' ? 0 : 1);
      }
    },
  });
  new Gauge({
    name: 'projection_lag_seconds',
    help: 'Age of the oldest event the projector has not reflected yet (0 when caught up), for projectors running here',
    labelNames: ['projector'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // Projectors that are caught up share a position: one read of the log each.
      const oldestAfter = new Map<Position, Promise<string | undefined>>();
      const createdAfter = (position: Position) => {
        let read = oldestAfter.get(position);
        if (!read) {
          read = eventStore.readAll({ after: position, maxCount: 1 }).then((events) => events[0]?.createdAt);
          oldestAfter.set(position, read);
        }
        return read;
      };
      await Promise.all(
        projectors
          .health()
          .filter((p) => REPORTS_LAG.has(p.status))
          .map(async (p) => {
            // The log unreachable: no sample rather than a wrong one (the scrape itself still answers).
            const oldest = await createdAfter(p.position).catch(() => null);
            if (oldest === null) return;
            this.set({ projector: p.name }, oldest === undefined ? 0 : Math.max(0, now() - Date.parse(oldest)) / 1000);
          }),
      );
    },
  });
}
