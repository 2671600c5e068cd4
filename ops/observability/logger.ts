/** The process logger (pino), one per app; fastify gets its own with the same level. */
import { pino, type Logger } from 'pino';

export function createLogger(level: string, name = 'knowledge-assistant'): Logger {
  return pino({ name, level });
}
