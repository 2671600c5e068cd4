/** /healthz: the process role and every projector's status; 503 when a projector has failed. */
import type { FastifyInstance } from 'fastify';
import type { ProjectionRuntime } from '../../projections/runtime/index.ts';

export function healthPlugin(options: { role: string; runtime: ProjectionRuntime; projectorsRunHere: boolean }) {
  return (app: FastifyInstance): void => {
    app.get('/healthz', async (_request, reply) => {
      const projectors = options.projectorsRunHere ? options.runtime.health() : [];
      const failed = projectors.filter((p) => p.status === 'failed');
      return reply.code(failed.length > 0 ? 503 : 200).send({
        status: failed.length > 0 ? 'degraded' : 'ok',
        role: options.role,
        projectors,
      });
    });
  };
}
