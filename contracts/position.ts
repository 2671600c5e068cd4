/**
 * A position in the global log, as an opaque string "<commit>-<prepare>" of two non-negative integers.
 * SQL stores use (transaction id, sequence); EventStoreDB uses its own commit/prepare pair. Order is by commit,
 * then prepare. "0-0" is before every event.
 */
export type Position = string;

export const START: Position = '0-0';

const POSITION = /^(\d{1,20})-(\d{1,20})$/;

export const isPosition = (value: string): boolean => POSITION.test(value);

export function parsePosition(position: Position): { commit: bigint; prepare: bigint } {
  const match = POSITION.exec(position);
  if (!match) throw new TypeError(`not a log position: ${JSON.stringify(position)}`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}

export const formatPosition = (commit: bigint | number | string, prepare: bigint | number | string): Position =>
  `${BigInt(commit)}-${BigInt(prepare)}`;

/** The two numbers of a position as digit strings without leading zeros ("0" for zero). */
function digitsOf(position: Position): [commit: string, prepare: string] {
  if (!POSITION.test(position)) throw new TypeError(`not a log position: ${JSON.stringify(position)}`);
  const dash = position.indexOf('-');
  return [withoutLeadingZeros(position.slice(0, dash)), withoutLeadingZeros(position.slice(dash + 1))];
}

const withoutLeadingZeros = (digits: string): string => (digits.length > 1 && digits[0] === '0' ? digits.replace(/^0+(?=\d)/, '') : digits);

/** Whole numbers written in digits without leading zeros: the longer is larger, else the digits decide. */
const compareDigits = (a: string, b: string): -1 | 0 | 1 =>
  a.length !== b.length ? (a.length < b.length ? -1 : 1) : a === b ? 0 : a < b ? -1 : 1;

/**
 * Compared on their digits rather than as BigInts: every projector compares every event's position it passes, and
 * the BigInts were a measurable share of the API thread under chat load (docs/ARCHITECTURE.md, Chat).
 */
export function comparePositions(a: Position, b: Position): -1 | 0 | 1 {
  const [commitA, prepareA] = digitsOf(a);
  const [commitB, prepareB] = digitsOf(b);
  return compareDigits(commitA, commitB) || compareDigits(prepareA, prepareB);
}

export const maxPosition = (a: Position, b: Position): Position => (comparePositions(a, b) >= 0 ? a : b);
