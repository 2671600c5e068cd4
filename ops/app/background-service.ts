/** What a feature runs besides answering requests, and in which process roles. */
import type { ROLES } from '../config/config.ts';

export type Role = (typeof ROLES)[number];

/** A long-running loop (ingestion worker, billing saga…) that runs in the roles it names. */
export interface BackgroundService {
  name: string;
  roles: readonly Role[];
  start(): Promise<void>;
  stop(): Promise<void>;
}
