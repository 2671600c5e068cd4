/**
 * How often one answer subscription may send, one setting for all of a process's subscriptions. A WebSocket message
 * costs the server about the same whatever it carries (GraphQL execution, JSON, a frame, a write): a process sends
 * some 10-20k a second, so 500 streams sending a message per token saturate it long before 50k tokens a second,
 * and then every token waits behind the loop's backlog. So the interval between a subscription's messages follows
 * the event loop's utilisation, sampled every `sampleMs`: above `busyAbove` it grows by half (from 2 ms, up to
 * `maxIntervalMs`), below `idleBelow` it shrinks by a third (to 0 under 1 ms). What comes in between is merged into
 * the subscription's next message. While the loop has room the interval is 0: every delta goes out at once. Nor are
 * messages spaced while they are few (under `minMessagesPerSecond`): a loop busy with other work (the saga, the
 * databases) would gain nothing from it, and the tokens would only come later.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface DeliveryPacer {
  /** Milliseconds a subscription leaves between its messages now; 0: send at once. */
  interval(): number;
  /** A subscription sent a message (sampling runs while messages are sent). */
  sent(subscription: object): void;
}

export interface DeliveryPacerOptions {
  /** Utilisation (0..1) above which messages are spaced more. Default 0.85. */
  busyAbove?: number;
  /** Utilisation below which they are spaced less. Default 0.6. */
  idleBelow?: number;
  /** The longest interval, so a token never waits longer than this for its message. Default 50 ms. */
  maxIntervalMs?: number;
  /** Messages a second below which they are never spaced. Default 2,000. */
  minMessagesPerSecond?: number;
  /** Default 50 ms. */
  sampleMs?: number;
}

const FIRST_STEP_MS = 2;

export function createDeliveryPacer(options: DeliveryPacerOptions = {}): DeliveryPacer {
  const busyAbove = options.busyAbove ?? 0.85;
  const idleBelow = options.idleBelow ?? 0.6;
  const maxIntervalMs = options.maxIntervalMs ?? 50;
  const sampleMs = options.sampleMs ?? 50;
  const minPerSample = ((options.minMessagesPerSecond ?? 2000) * sampleMs) / 1000;
  let intervalMs = 0;
  let sentSinceSample = 0;
  let quietSamples = 0;
  let last: EventLoopUtilization | undefined;
  let timer: NodeJS.Timeout | undefined;

  function sample(): void {
    const { utilization } = performance.eventLoopUtilization(last);
    last = performance.eventLoopUtilization();
    const many = sentSinceSample >= minPerSample;
    if (utilization > busyAbove && many) intervalMs = Math.min(maxIntervalMs, Math.max(FIRST_STEP_MS, intervalMs * 1.5));
    else if (utilization < idleBelow || !many) intervalMs = intervalMs * (2 / 3) < 1 ? 0 : intervalMs * (2 / 3);
    quietSamples = sentSinceSample === 0 ? quietSamples + 1 : 0;
    sentSinceSample = 0;
    // Nothing sent for a while: stop sampling until something is.
    if (quietSamples >= 2) {
      clearInterval(timer);
      timer = undefined;
      intervalMs = 0;
    }
  }

  return {
    interval: () => intervalMs,
    sent() {
      sentSinceSample++;
      if (timer) return;
      quietSamples = 0;
      last = performance.eventLoopUtilization();
      timer = setInterval(sample, sampleMs);
      timer.unref();
    },
  };
}
