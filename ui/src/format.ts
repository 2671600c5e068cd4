/** Numbers and times as people read them, in the current language. Amounts are integer micro-credits. */
export const MICROS_PER_CREDIT = 1_000_000;

export function formatCredits(micros: number, locale: string): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(micros / MICROS_PER_CREDIT);
}

/** A whole number (tokens, turns) with the language's grouping. */
export const formatCount = (value: number, locale: string): string => new Intl.NumberFormat(locale).format(value);

export function formatTime(iso: string, locale: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit ? 1 : 0 }).format(value)} ${units[unit]}`;
}
