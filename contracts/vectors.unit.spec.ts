import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packVector, unpackVector } from './vectors.ts';

describe('packed vectors', () => {
  it('round-trips float32 values exactly, for every length', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 40 }), (values) => {
        const vector = Float32Array.from(values);
        expect(Array.from(unpackVector(packVector(vector)))).toEqual(Array.from(vector));
      }),
    );
  });

  it('is little-endian float32 in standard base64', () => {
    const packed = packVector([1, -2.5]);
    expect(packed).toBe(Buffer.from(new Float32Array([1, -2.5]).buffer).toString('base64'));
    expect(packed).toBe('AACAPwAAIMA=');
  });

  it('rejects text that is not a packed vector', () => {
    expect(() => unpackVector('abc')).toThrow(/multiple of 4/);
    expect(() => unpackVector('AAA*')).toThrow(/invalid base64/);
    expect(() => unpackVector('AAA=')).toThrow(/byte length/);
  });
});
