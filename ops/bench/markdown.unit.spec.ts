import { describe, expect, it } from 'vitest';
import { README_END, README_START, benchMarkdown, withBenchTable, type MachineInfo } from './markdown.ts';

const machine: MachineInfo = { cpus: '2 × Test CPU', memory: '24 GiB', node: 'v20.20.2', platform: 'Linux 6', loadAtStart: 0.5, loadAtEnd: 1.25 };

describe('the bench table in Markdown', () => {
  it('names the machine and shows each figure against its goal, misses marked', () => {
    const table = benchMarkdown(
      [
        { name: 'replay.wallets', value: 25613.4, unit: 'events/s', goal: '>= 20000', pass: true, note: 'a | b' },
        { name: 'chat.overhead.p50', value: 101.23, unit: 'ms', goal: '< 30', pass: false },
        { name: 'web-app.bundle', value: 98.3, unit: 'kB' },
      ],
      machine,
      '2026-12-05T13:00:00.000Z',
    );
    expect(table).toContain('2 × Test CPU, 24 GiB, Node v20.20.2');
    expect(table).toContain('load average 0.5 at the start, 1.3 at the end. 1 goals met, 1 missed.');
    expect(table).toContain('| ok | replay.wallets | 25,613 | events/s | >= 20000 | a \\| b |');
    expect(table).toContain('| **MISS** | chat.overhead.p50 | 101 | ms | < 30 |  |');
    expect(table).toContain('|  | web-app.bundle | 98.3 | kB |  |  |');
  });

  it('replaces only what is between the README markers', () => {
    const readme = `# Title\n\n${README_START}\nold table\n${README_END}\n\nmore`;
    expect(withBenchTable(readme, 'new table\n')).toBe(`# Title\n\n${README_START}\nnew table\n${README_END}\n\nmore`);
    expect(withBenchTable('# no markers', 'x')).toBe('# no markers');
  });
});
