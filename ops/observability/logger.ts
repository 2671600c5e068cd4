/**
 * The process logger (pino), one per app; fastify logs through it too. Every line written while a span is active
 * carries its trace_id and span_id, so logs and traces join up. JSON lines by default (for collectors); on a
 * terminal (LOG_FORMAT=auto) or with LOG_FORMAT=pretty, human-readable lines instead.
 */
import { trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

export type LogFormat = 'auto' | 'json' | 'pretty';

export interface LoggerOptions {
  level: string;
  format?: LogFormat;
  name?: string;
  /** Whether stdout is a terminal (auto format); default process.stdout.isTTY. */
  terminal?: boolean;
  /** Where JSON lines go (tests); default stdout. */
  destination?: DestinationStream;
}

/** The active span's ids, for every log line written inside it. */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  return span && trace.isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}

export const prettyLogs = (format: LogFormat, terminal: boolean) => format === 'pretty' || (format === 'auto' && terminal);

export function createLogger(options: LoggerOptions): Logger {
  const pretty = prettyLogs(options.format ?? 'auto', options.terminal ?? process.stdout.isTTY === true);
  const settings = {
    name: options.name ?? 'knowledge-assistant',
    level: options.level,
    mixin: traceFields,
    ...(pretty && { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } }),
  };
  return options.destination && !pretty ? pino(settings, options.destination) : pino(settings);
}
