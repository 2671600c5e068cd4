/** The replay's progress bars on the terminal (one per projection, in both modes of npm run replay). */
import { MultiBar, Presets, type SingleBar } from 'cli-progress';

export interface ProjectionBar {
  update(fraction: number, events: number, phase: string): void;
  stop(): void;
}

export function progressBars(): { bar(name: string): ProjectionBar; stop(): void } {
  const bars = new MultiBar(
    {
      format: '{name} |{bar}| {percentage}% {events} events {phase}',
      hideCursor: true,
      clearOnComplete: false,
      // Off a terminal (CI logs): a line per update would flood the log; the summary lines follow anyway.
      noTTYOutput: false,
      stopOnComplete: false,
    },
    Presets.shades_classic,
  );
  return {
    bar(name) {
      const bar: SingleBar = bars.create(1000, 0, { name: name.padEnd(16), events: 0, phase: '' });
      return {
        update: (fraction, events, phase) => bar.update(Math.round(fraction * 1000), { events, phase }),
        stop: () => bar.stop(),
      };
    },
    stop: () => bars.stop(),
  };
}
