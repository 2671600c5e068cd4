import { describe, expect, it } from 'vitest';
import { chunkIdOf, packVectors, parseChunkId, parseDocumentEvent, unpackVectors } from './documents.ts';
import { MalformedEventError } from './errors.ts';

describe('document events contract', () => {
  it('packs vectors as base64 Float32 LE and unpacks them unchanged', () => {
    const vectors = [
      [0.5, -1.25, 3],
      [1e-3, 0, -0],
    ];
    const packed = packVectors(vectors, 3);
    expect(Buffer.from(packed, 'base64').readFloatLE(4)).toBe(-1.25);
    expect(unpackVectors(packed, 3).map((v) => Array.from(v))).toEqual([
      [0.5, -1.25, 3],
      [Math.fround(1e-3), 0, -0],
    ]);
  });

  it('rejects a vector of the wrong length', () => {
    expect(() => packVectors([[1, 2]], 3)).toThrow(RangeError);
  });

  it('parses recorded document events and refuses foreign or malformed ones', () => {
    const recorded = (type: string, data: Record<string, unknown>) => ({
      id: 'e',
      type,
      data,
      metadata: {},
      streamId: 'document-d',
      revision: 0,
      position: '1-1',
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    expect(() => parseDocumentEvent(recorded('WalletOpened', {}))).toThrow(MalformedEventError);
    expect(() => parseDocumentEvent(recorded('DocumentDeleted', { documentId: 'd' }))).toThrow(MalformedEventError);
    const event = parseDocumentEvent(
      recorded('DocumentDeleted', { documentId: 'd', knowledgeBaseId: 'k', revision: 1, deletedBy: 'u' }),
    );
    expect(event.type).toBe('DocumentDeleted');
    expect(chunkIdOf('d', 2, 7)).toBe('d:2:7');
  });
});

describe('vector packing', () => {
  it('is standard base64 for every length', () => {
    for (const n of [1, 2, 3, 5, 8]) {
      const vectors = Array.from({ length: n }, (_, i) => [i * 0.5, -i, Math.PI]);
      const packed = packVectors(vectors, 3);
      const viaBuffer = Buffer.alloc(n * 12);
      vectors.flat().forEach((v, i) => viaBuffer.writeFloatLE(v, i * 4));
      expect(packed).toBe(viaBuffer.toString('base64'));
      expect(unpackVectors(packed, 3).map((v) => Array.from(v))).toEqual(vectors.map((v) => v.map(Math.fround)));
    }
    expect(() => unpackVectors('ab$c', 1)).toThrow(RangeError);
  });
});

describe('parseChunkId', () => {
  it('reads back what chunkIdOf made, and nothing else', () => {
    const documentId = '0b6c1f3e-9a5d-5e2b-8f1a-2c3d4e5f6a7b';
    expect(parseChunkId(chunkIdOf(documentId, 2, 17))).toEqual({ documentId, revision: 2, index: 17 });
    expect(parseChunkId(chunkIdOf('a:b', 1, 0))).toEqual({ documentId: 'a:b', revision: 1, index: 0 });
    for (const id of ['', 'doc', 'doc:1', ':1:0', 'doc:0:1', 'doc:1:-1', 'doc:1:01', 'doc:1:x', 'doc:1.5:0', `doc:1:${'9'.repeat(20)}`, `${'d'.repeat(300)}:1:0`]) {
      expect(parseChunkId(id), id).toBeUndefined();
    }
  });
});
