/**
 * `npm run bench [-- name ...]`: runs the benchmark modules one after another (never in parallel: the machine has
 * two cores and every figure is compared with the raw engine measured in the same run), prints one table and
 * writes bench-results/<timestamp>.json and .md (the machine, then the table). A run of every module also puts that
 * table into README.md between its bench markers. Not part of the test suite.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { benchMarkdown, machineInfo, withBenchTable } from './markdown.ts';
import type { BenchRow } from './report.ts';

const MODULES = ['eventstore', 'projection', 'replay', 'wallet', 'retrieval', 'ingestion', 'stalls', 'chat', 'openai-compat', 'web-app'] as const;

async function runModule(name: string): Promise<BenchRow[]> {
  const started = performance.now();
  try {
    const module = (await import(`./${name}.ts`)) as { bench: () => Promise<BenchRow[]> };
    const rows = await module.bench();
    console.error(`bench ${name}: ${rows.length} figures in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return rows;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`bench ${name} failed: ${message}`);
    return [{ name: `${name}.error`, value: Number.NaN, unit: '', pass: false, note: message.slice(0, 200) }];
  }
}

function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => [
    row.pass === undefined ? ' ' : row.pass ? 'ok' : 'MISS',
    row.name,
    Number.isFinite(row.value) ? (Math.abs(row.value) >= 100 ? row.value.toFixed(0) : row.value.toFixed(3)) : '-',
    row.unit,
    row.goal ?? '',
    row.note ?? '',
  ]);
  const header = ['', 'figure', 'value', 'unit', 'goal', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const selected = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const names = selected.length > 0 ? selected : MODULES;
  const loadAtStart = os.loadavg()[0]!;
  const rows: BenchRow[] = [];
  for (const name of names) rows.push(...(await runModule(name)));
  console.log(formatTable(rows));
  const at = new Date().toISOString();
  const machine = machineInfo(loadAtStart);
  const dir = path.resolve('bench-results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, at.replace(/[:.]/g, '-'));
  const markdown = benchMarkdown(rows, machine, at);
  await writeFile(`${file}.json`, JSON.stringify({ at, machine, modules: names, rows }, null, 2));
  await writeFile(`${file}.md`, markdown);
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}.json and .md`);
  if (selected.length === 0) {
    const readme = path.resolve('README.md');
    await writeFile(readme, withBenchTable(await readFile(readme, 'utf8'), markdown));
    console.log('README.md shows this run');
  }
  process.exit(rows.some((row) => row.name.endsWith('.error')) ? 1 : 0);
}

await main();
