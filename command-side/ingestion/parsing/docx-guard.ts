/**
 * Checks a DOCX before mammoth sees it. Declared uncompressed sizes are read from the zip directory (a zip bomb
 * declares its size honestly or lies; both are caught: the XML parts are inflated here with the declared size as a
 * hard cap). XML parts must not declare a DOCTYPE: Word never writes one, and entity expansion is how XML bombs work.
 */
import { inflateRawSync } from 'node:zlib';
import { ParseFailure } from './types.ts';
import { entryData, readZipDirectory, type ZipEntry } from './zip-directory.ts';

const STORED = 0;
const DEFLATED = 8;
const ZIP64_SIZE = 0xffffffff;

function inflateEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const data = entryData(bytes, entry);
  if (!data) throw new ParseFailure('file is corrupt');
  if (entry.method === STORED) return data;
  if (entry.method !== DEFLATED) throw new ParseFailure('file is corrupt');
  try {
    // One byte of slack: output beyond the declared size means the directory lied.
    return inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 });
  } catch (error) {
    const tooLong = error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new ParseFailure(tooLong ? 'DOCX zip entry too large' : 'file is corrupt', { cause: error });
  }
}

export function checkDocx(bytes: Uint8Array, maxEntryBytes: number): void {
  const entries = readZipDirectory(bytes);
  if (!entries || !entries.some((e) => e.name === 'word/document.xml')) throw new ParseFailure('file is corrupt');
  let total = 0;
  for (const entry of entries) {
    if (entry.uncompressedSize === ZIP64_SIZE || entry.uncompressedSize > maxEntryBytes) {
      throw new ParseFailure('DOCX zip entry too large');
    }
    total += entry.uncompressedSize;
  }
  // Many entries just under the cap add up to a bomb too.
  if (total > maxEntryBytes * 4) throw new ParseFailure('DOCX zip entry too large');
  const latin1 = new TextDecoder('latin1');
  for (const entry of entries) {
    if (!/\.(?:xml|rels)$/i.test(entry.name)) continue;
    const xml = inflateEntry(bytes, entry);
    if (xml.length > entry.uncompressedSize) throw new ParseFailure('DOCX zip entry too large');
    if (/<!DOCTYPE|<!ENTITY/i.test(latin1.decode(xml.subarray(0, 65536)))) {
      throw new ParseFailure('DOCX contains XML entity declarations');
    }
  }
}
