/**
 * /healthz of every role: the process role, the projectors it runs (status and position) and the background
 * services it started (running, or standing by while another process holds their lease). 503 when a projector
 * running here has failed: it will not move again until restarted, and everything reading its tables waits.
 * A process that only stands by is healthy: it is ready to take over.
 */
import type { FastifyInstance } from 'fastify';
import type { ProjectorHealth } from '../../projections/runtime/index.ts';
import type { Role, ServiceStatus } from './background-service.ts';

export interface HealthSource {
  role: Role;
  /** The projectors this process runs ([] when it runs none). */
  projectors(): readonly ProjectorHealth[];
  /** The background services this process started. */
  services(): readonly { name: string; status: ServiceStatus }[];
  /**
   * What works less well than configured, though nothing is broken (search without pgvector is lexical only):
   * reported, not a reason for a 503 that would have the process restarted.
   */
  warnings?(): readonly string[];
  /** Shutting down: finishing the work in hand, taking no more (503, so a load balancer sends no new requests). */
  draining?(): boolean;
}

export function healthPlugin(source: HealthSource) {
  return (app: FastifyInstance): void => {
    app.get('/healthz', async (_request, reply) => {
      const projectors = source.projectors();
      const failed = projectors.some((p) => p.status === 'failed');
      const draining = source.draining?.() ?? false;
      return reply.code(failed || draining ? 503 : 200).send({
        status: draining ? 'draining' : failed ? 'degraded' : 'ok',
        role: source.role,
        projectors,
        services: source.services(),
        warnings: source.warnings?.() ?? [],
      });
    });
  };
}
