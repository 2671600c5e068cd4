/**
 * The bench run as Markdown: the machine it ran on, then one table of figures against their goals. Written next to
 * the JSON, and (after a run of every module) into README.md between its bench markers.
 */
import os from 'node:os';
import type { BenchRow } from './report.ts';

export interface MachineInfo {
  cpus: string;
  memory: string;
  node: string;
  platform: string;
  /** Load averages (1 min) when the run started and ended: the machine is shared, figures move with it. */
  loadAtStart: number;
  loadAtEnd: number;
}

export function machineInfo(loadAtStart: number): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}`,
    memory: `${Math.round(os.totalmem() / 1024 ** 3)} GiB`,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    loadAtStart,
    loadAtEnd: os.loadavg()[0]!,
  };
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function formatValue(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(Math.abs(value) >= 10 ? 1 : 2);
}

export function benchMarkdown(rows: readonly BenchRow[], machine: MachineInfo, at: string): string {
  const met = rows.filter((row) => row.pass === true).length;
  const missed = rows.filter((row) => row.pass === false).length;
  return [
    `Run ${at} on ${machine.cpus}, ${machine.memory}, Node ${machine.node}, ${machine.platform}; load average ${machine.loadAtStart.toFixed(1)} at the start, ${machine.loadAtEnd.toFixed(1)} at the end. ${met} goals met, ${missed} missed.`,
    '',
    '| | figure | value | unit | goal | note |',
    '| --- | --- | ---: | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.pass === undefined ? '' : row.pass ? 'ok' : '**MISS**'} | ${cell(row.name)} | ${formatValue(row.value)} | ${cell(row.unit)} | ${cell(row.goal ?? '')} | ${cell(row.note ?? '')} |`,
    ),
    '',
  ].join('\n');
}

export const README_START = '<!-- bench:start (written by npm run bench) -->';
export const README_END = '<!-- bench:end -->';

/** README.md with the table between its markers replaced; unchanged when the markers are missing. */
export function withBenchTable(readme: string, table: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return readme;
  return `${readme.slice(0, start + README_START.length)}\n${table}${readme.slice(end)}`;
}
