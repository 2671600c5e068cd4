import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatCredits, formatTime } from './format';

describe('format: the kept formatters give what new ones give, per kind and language', () => {
  it.each(['en', 'zh'])('%s', (locale) => {
    // Twice, and the languages one after the other: a kept formatter must not serve another kind or language.
    for (let i = 0; i < 2; i++) {
      expect(formatCredits(1_234_567, locale)).toBe(new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(1.234567));
      expect(formatCount(1_234_567, locale)).toBe(new Intl.NumberFormat(locale).format(1_234_567));
      expect(formatTime('2026-12-05T15:00:00Z', locale)).toBe(
        new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date('2026-12-05T15:00:00Z')),
      );
      expect(formatBytes(999, locale)).toBe(`${new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(999)} B`);
      expect(formatBytes(1_250_000, locale)).toBe(`${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(1.25)} MB`);
    }
  });

  it('leaves a time it cannot read as it is', () => {
    expect(formatTime('not a time', 'en')).toBe('not a time');
  });
});
