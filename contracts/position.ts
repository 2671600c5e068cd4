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

const ZERO = 48;
const NINE = 57;
const DASH = 45;
const MAX_DIGITS = 20;

const notAPosition = (value: string) => new TypeError(`not a log position: ${JSON.stringify(value)}`);

/** Where the dash of a position is; throws unless it is digits, a dash, digits (1-20 each). */
function dashOf(position: Position): number {
  let dash = -1;
  for (let i = 0; i < position.length; i++) {
    const code = position.charCodeAt(i);
    if (code === DASH) {
      if (dash !== -1) throw notAPosition(position);
      dash = i;
    } else if (code < ZERO || code > NINE) throw notAPosition(position);
  }
  const prepareDigits = position.length - dash - 1;
  if (dash < 1 || dash > MAX_DIGITS || prepareDigits < 1 || prepareDigits > MAX_DIGITS) throw notAPosition(position);
  return dash;
}

/** The first significant digit of a[from, to) ("0" keeps its last zero). */
function significantFrom(text: string, from: number, to: number): number {
  while (from < to - 1 && text.charCodeAt(from) === ZERO) from++;
  return from;
}

/** Two whole numbers written in digits, a[aFrom, aTo) and b[bFrom, bTo): the longer is larger, else the digits decide. */
function compareDigits(a: string, aFrom: number, aTo: number, b: string, bFrom: number, bTo: number): -1 | 0 | 1 {
  aFrom = significantFrom(a, aFrom, aTo);
  bFrom = significantFrom(b, bFrom, bTo);
  if (aTo - aFrom !== bTo - bFrom) return aTo - aFrom < bTo - bFrom ? -1 : 1;
  for (let i = 0; i < aTo - aFrom; i++) {
    const diff = a.charCodeAt(aFrom + i) - b.charCodeAt(bFrom + i);
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * Compared on their digits, in place, rather than as BigInts or slices: every projector compares every event's
 * position it passes, and the BigInts, then the slices (28 KB of garbage per chat question), were a measurable share
 * of the API thread under chat load (docs/ARCHITECTURE.md, Chat).
 */
export function comparePositions(a: Position, b: Position): -1 | 0 | 1 {
  const dashA = dashOf(a);
  const dashB = dashOf(b);
  return compareDigits(a, 0, dashA, b, 0, dashB) || compareDigits(a, dashA + 1, a.length, b, dashB + 1, b.length);
}

export const maxPosition = (a: Position, b: Position): Position => (comparePositions(a, b) >= 0 ? a : b);
