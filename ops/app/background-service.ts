/** What a feature runs besides answering requests, and in which process roles. */
import type { ROLES } from '../config/config.ts';

export type Role = (typeof ROLES)[number];

/** running: doing its work here; standby: started, but another process holds its lease and does the work. */
export type ServiceStatus = 'running' | 'standby';

/** A long-running loop (ingestion worker, billing saga…) that runs in the roles it names. */
export interface BackgroundService {
  name: string;
  roles: readonly Role[];
  start(): Promise<void>;
  stop(): Promise<void>;
  /** What /healthz shows for it once started (default running): services behind a lease say whether they hold it. */
  status?(): ServiceStatus;
  /**
   * Graceful shutdown, before stop: resolves once the work in hand is done (answers being generated, streams being
   * sent). The app bounds the wait (SHUTDOWN_GRACE_MS); what is still running then is handed over through the log.
   */
  drain?(): Promise<void>;
}

/** ROLE=all runs every service; another role runs the services that name it. */
export const runsIn = (service: Pick<BackgroundService, 'roles'>, role: Role): boolean => role === 'all' || service.roles.includes(role);
