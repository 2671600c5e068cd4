import { GraphQLError, Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MicrosScalar, parseMicros } from './micros.ts';

const codeOf = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : error;
  }
  return 'no error';
};

describe('Micros scalar', () => {
  it('accepts safe integers as numbers and numeric strings', () => {
    expect(parseMicros(0)).toBe(0);
    expect(parseMicros(1_500_000)).toBe(1_500_000);
    expect(parseMicros('42')).toBe(42);
    expect(parseMicros(' -7 ')).toBe(-7);
    expect(parseMicros(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([1.5, '1.5', '1e3', 'abc', '', Number.MAX_SAFE_INTEGER + 1, '9007199254740993', NaN, Infinity, null, true, {}])(
    'rejects %s with BAD_USER_INPUT',
    (value) => {
      expect(codeOf(() => parseMicros(value))).toBe('BAD_USER_INPUT');
    },
  );

  it('parses literals: int and string yes, float no', () => {
    expect(MicrosScalar.parseLiteral({ kind: Kind.INT, value: '12' })).toBe(12);
    expect(MicrosScalar.parseLiteral({ kind: Kind.STRING, value: '12' })).toBe(12);
    expect(codeOf(() => MicrosScalar.parseLiteral({ kind: Kind.FLOAT, value: '1.5' }))).toBe('BAD_USER_INPUT');
  });

  it('serializes to a JSON number and refuses to serialize an unsafe value', () => {
    expect(MicrosScalar.serialize(5)).toBe(5);
    expect(MicrosScalar.serialize('5')).toBe(5);
    expect(codeOf(() => MicrosScalar.serialize(2 ** 60))).toBe('BAD_USER_INPUT');
  });
});
