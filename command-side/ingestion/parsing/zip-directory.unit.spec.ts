import { describe, expect, it } from 'vitest';
import { buildDocx, docxBody } from './testing/zip-builder.ts';
import { readZipDirectory } from './zip-directory.ts';

describe('readZipDirectory', () => {
  it("lists the central directory's entries with their declared sizes", () => {
    const entries = readZipDirectory(buildDocx({ data: docxBody(['hello']), declaredSize: 12_345 }));
    expect(entries?.map((e) => e.name)).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
    expect(entries?.[2]).toMatchObject({ method: 8, uncompressedSize: 12_345 });
  });

  it('gives up at the first record that does not fit in the file, whatever count the directory claims', () => {
    const claimsMore = buildDocx({ data: docxBody(['hello']) }).slice();
    const end = new DataView(claimsMore.buffer, claimsMore.length - 22);
    end.setUint16(8, 0xffff, true);
    end.setUint16(10, 0xffff, true);
    expect(readZipDirectory(claimsMore)).toBeNull();
  });
});
