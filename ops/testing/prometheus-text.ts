/**
 * Reading Prometheus' text exposition format (what /metrics answers) in tests: the metric names a process declares,
 * and the value of one sample.
 */

/** Series names a scrape can hold for each declared metric: a histogram is read as _bucket, _sum and _count. */
const SERIES_SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** Every series name the exposition declares (# TYPE lines), samples or not. */
export function declaredSeriesNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match;
    for (const suffix of SERIES_SUFFIXES[type!] ?? ['']) names.add(`${name}${suffix}`);
  }
  return names;
}

function labelsOf(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [, key, value] of (text ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
  return labels;
}

/** The value of the sample named `name` whose labels include `labels`; undefined when there is none. */
export function sampleValue(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const match of exposition.matchAll(/^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/gm)) {
    if (match[1] !== name) continue;
    const own = labelsOf(match[2]);
    if (Object.entries(labels).every(([key, value]) => own[key] === value)) return Number(match[3]);
  }
  return undefined;
}
