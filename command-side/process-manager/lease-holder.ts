/**
 * One active instance of a service across processes: the process holding the lease (a Postgres advisory lock in
 * production, injected by the composition root) runs it; the others stand by and try again. A lease lost (its
 * connection dropped) stops the service here at once; the new holder resumes from the log. Correctness never rests
 * on the lease (streams are appended at exact revisions, wallet commands are idempotent): it saves duplicate work.
 */
import { sleepUnlessAborted } from '../retry.ts';
import type { ServiceLogger } from './service.ts';

/** The shape of projections/runtime/lease.ts's ProjectorLease that a service needs. */
export interface ServiceLease {
  tryAcquire(name: string): Promise<boolean>;
  holds(name: string): Promise<boolean>;
  release(name: string): Promise<void>;
}

export interface LeaseHolderOptions {
  /** How often a standby tries to take the lease. Default 1000 ms. */
  standbyMs?: number;
  /** How often the holder checks it still holds it. Default 2000 ms. */
  checkMs?: number;
  logger?: ServiceLogger;
}

export interface LeasedService {
  /** Whether this process runs the service right now. */
  active(): boolean;
  stop(): Promise<void>;
}

export function runWhileLeaseHeld<Service extends { stop(): Promise<void> }>(
  lease: ServiceLease,
  name: string,
  start: () => Promise<Service>,
  options: LeaseHolderOptions & { onStarted?: (service: Service) => void; onStopped?: () => void } = {},
): LeasedService {
  const stopping = new AbortController();
  let service: Service | undefined;

  async function standDown(): Promise<void> {
    const current = service;
    service = undefined;
    options.onStopped?.();
    await current?.stop();
  }

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      try {
        if (!service && (await lease.tryAcquire(name))) {
          service = await start();
          options.onStarted?.(service);
        } else if (service && !(await lease.holds(name))) {
          options.logger?.warn({ service: name }, 'lease lost: standing down');
          await standDown();
        }
      } catch (error) {
        options.logger?.warn({ err: error, service: name }, 'lease check failed');
      }
      await sleepUnlessAborted(service ? (options.checkMs ?? 2000) : (options.standbyMs ?? 1000), stopping.signal);
    }
  })();

  return {
    active: () => service !== undefined,
    async stop() {
      stopping.abort();
      await loop;
      const held = service !== undefined;
      await standDown();
      if (held) await lease.release(name).catch(() => undefined);
    },
  };
}
