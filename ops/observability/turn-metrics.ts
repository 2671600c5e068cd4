/**
 * The billing saga's timings for Prometheus (command-side/turns/turn-timings.ts measures them): how long each saga
 * step takes, and how long an asker waits from the question to the first token. Registered only in the process
 * that runs the saga (ROLE saga or all); one saga drives turns at a time (its lease), so each turn is observed once.
 * First-token times compare the saga's clock with the asking api process's TurnStarted time: keep hosts in sync.
 */
import { Histogram, type Registry } from 'prom-client';
import type { TurnObserver } from '../../command-side/turns/turn-timings.ts';

export function turnMetrics(registry: Registry): TurnObserver {
  const steps = new Histogram({
    name: 'saga_step_duration_seconds',
    help: 'Billing saga steps (reserve: ask to hold; retrieve; generate: provider call to the answer; settle: capture or release)',
    labelNames: ['step'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const firstToken = new Histogram({
    name: 'answer_first_token_seconds',
    help: 'From the question asked (TurnStarted) to its first answer token published, by chat model',
    labelNames: ['model'] as const,
    buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20, 30],
    registers: [registry],
  });
  return {
    stepFinished: (step, seconds) => steps.observe({ step }, seconds),
    firstToken: (model, seconds) => firstToken.observe({ model }, seconds),
  };
}
