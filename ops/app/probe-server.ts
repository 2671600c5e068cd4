/**
 * The HTTP server of a role without the API (projector, worker, saga): only /healthz and /metrics, on PORT, so
 * that every process can be probed by its orchestrator and scraped by Prometheus like the api ones.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';

export interface ProbeServer {
  server: FastifyInstance;
  /** http://localhost:PORT */
  url: string;
}

export async function startProbeServer(options: {
  host: string;
  port: number;
  /** The process's logger. */
  logger: FastifyBaseLogger;
  plugins: readonly ((app: FastifyInstance) => void)[];
}): Promise<ProbeServer> {
  // Probes come every few seconds: a log line each would drown the rest.
  const server = Fastify({ loggerInstance: options.logger, logController: new LogController({ disableRequestLogging: true }) });
  for (const plugin of options.plugins) plugin(server);
  try {
    await server.listen({ host: options.host, port: options.port });
  } catch (error) {
    await server.close();
    throw error;
  }
  return { server, url: urlOf(server, options.port) };
}

/** Where a listening server answers, for log lines and tests (port 0 asks the system for one). */
export function urlOf(server: FastifyInstance, configuredPort: number): string {
  const address = server.server.address();
  return `http://localhost:${typeof address === 'object' && address ? address.port : configuredPort}`;
}
