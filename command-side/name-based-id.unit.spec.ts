import { v5 as uuidv5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { nameBasedId } from './name-based-id.ts';

describe('nameBasedId', () => {
  // Ids already in logs were made from the string: they must come out the same.
  it('gives the ids the uuid package gives for the same string, whatever its characters', () => {
    const namespace = '9e4c2b1d-3f6a-4c8e-b7d5-1a2f3e4d5c6b';
    for (const name of ['', 'turn-1|TurnStarted|x', '非常多 解压后使用 😀 é', JSON.stringify({ answer: 'w'.repeat(10_000) })]) {
      expect(nameBasedId(name, namespace)).toBe(uuidv5(name, namespace));
    }
  });

  it('keeps each namespace apart (each is parsed once and remembered)', () => {
    const namespaces = ['9e4c2b1d-3f6a-4c8e-b7d5-1a2f3e4d5c6b', 'c2d1f0a4-5b7e-4e43-9d0c-7f3a1b6e8d25'];
    for (let round = 0; round < 3; round++) {
      for (const namespace of namespaces) expect(nameBasedId('turn-1|TurnStarted', namespace)).toBe(uuidv5('turn-1|TurnStarted', namespace));
    }
    expect(nameBasedId('same', namespaces[0]!)).not.toBe(nameBasedId('same', namespaces[1]!));
  });
});
