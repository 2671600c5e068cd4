/**
 * A span around one piece of work, child of the span a traceparent names (a saga step's): retrieval and the provider
 * call show in the question's trace. Without an OpenTelemetry SDK the spans are no-ops.
 */
import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { contextOfTraceparent } from '../contracts/trace-context.ts';

const tracer = trace.getTracer('knowledge-assistant.command-side');

export async function traced<T>(
  name: string,
  traceparent: string | undefined,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(name, { attributes }, contextOfTraceparent(traceparent));
  try {
    return await work(span);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}
