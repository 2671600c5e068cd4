/**
 * W3C trace context carried in event metadata (`traceparent`), so one trace follows a question from the mutation
 * through the saga, the provider call and the projections, across processes. Only OpenTelemetry's API is used: with
 * no SDK started every span is a no-op that still carries its parent's ids.
 */
import { ROOT_CONTEXT, trace, type Context, type SpanContext } from '@opentelemetry/api';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The context whose parent is the span a traceparent names; the root context when it is missing or malformed. */
export function contextOfTraceparent(traceparent: unknown): Context {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent) : null;
  if (!match || /^0+$/.test(match[1]!) || /^0+$/.test(match[2]!)) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16),
    isRemote: true,
  });
}

export function traceparentOf(span: SpanContext): string | undefined {
  if (!trace.isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-${span.traceFlags.toString(16).padStart(2, '0')}`;
}

/** The traceparent of the span active in this async context, if any (a step's events name the step). */
export function activeTraceparent(): string | undefined {
  const span = trace.getActiveSpan();
  return span ? traceparentOf(span.spanContext()) : undefined;
}
