/**
 * The Micros scalar: integer micro-credits, a safe integer on the wire. Inputs may be a JSON number or a numeric
 * string (clients in languages without safe 64-bit numbers send strings); floats, unsafe or non-numeric values are
 * BAD_USER_INPUT.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const INTEGER = /^-?\d+$/;

function badInput(value: unknown): GraphQLError {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new GraphQLError(`Micros must be a safe integer (a number or a numeric string), got ${shown}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

export function parseMicros(value: unknown): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    throw badInput(value);
  }
  if (typeof value === 'bigint') {
    if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(value);
    throw badInput(value);
  }
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (INTEGER.test(trimmed)) {
      const parsed = Number(trimmed);
      if (Number.isSafeInteger(parsed)) return parsed;
    }
  }
  throw badInput(value);
}

function parseLiteral(node: ValueNode): number {
  if (node.kind === Kind.INT || node.kind === Kind.STRING) return parseMicros(node.value);
  if (node.kind === Kind.FLOAT) throw badInput(node.value);
  throw badInput(node.kind);
}

export const MicrosScalar = new GraphQLScalarType<number, number>({
  name: 'Micros',
  description: 'Integer micro-credits as a JSON number (safe integer); accepts a number or a numeric string.',
  serialize: (value) => parseMicros(value),
  parseValue: (value) => parseMicros(value),
  parseLiteral,
});
