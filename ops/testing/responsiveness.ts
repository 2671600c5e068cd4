/**
 * Measures how responsive an API stays while something heavy runs: the event loop's delay (perf_hooks histogram
 * of this process, where the in-process app runs) and the latency of the cheapest GraphQL request, `{__typename}`,
 * sent one after another from this process over real HTTP.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface Responsiveness {
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  typenameMaxMs: number;
  typenameP99Ms: number;
  typenameCount: number;
}

const PROBE_GAP_MS = 10;

export async function measureResponsiveness(graphqlUrl: string, work: () => Promise<void>): Promise<Responsiveness> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const latencies: number[] = [];
  let running = true;
  const probe = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      await response.text();
      if (!response.ok) throw new Error(`{__typename} answered ${response.status}`);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, PROBE_GAP_MS));
    }
  })();
  histogram.enable();
  try {
    await work();
  } finally {
    histogram.disable();
    running = false;
    await probe;
  }
  latencies.sort((a, b) => a - b);
  return {
    eventLoopP99Ms: histogram.percentile(99) / 1e6,
    eventLoopMaxMs: histogram.max / 1e6,
    typenameMaxMs: latencies.at(-1) ?? Number.NaN,
    typenameP99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? Number.NaN,
    typenameCount: latencies.length,
  };
}
