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

export function comparePositions(a: Position, b: Position): -1 | 0 | 1 {
  const pa = parsePosition(a);
  const pb = parsePosition(b);
  if (pa.commit !== pb.commit) return pa.commit < pb.commit ? -1 : 1;
  if (pa.prepare !== pb.prepare) return pa.prepare < pb.prepare ? -1 : 1;
  return 0;
}

export const maxPosition = (a: Position, b: Position): Position => (comparePositions(a, b) >= 0 ? a : b);
