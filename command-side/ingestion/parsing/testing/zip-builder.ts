/**
 * Builds zip files and DOCX packages in memory for tests, including hostile ones: entries whose declared size is
 * huge or a lie, and deflate bombs made by repeating one sync-flushed deflate segment (cheap to build: a 1 MB
 * segment of compressed spaces expands ~1000-fold, and repeating it costs nothing to compute).
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntryInput {
  name: string;
  data: Uint8Array | string;
  /** Overrides the uncompressed size written into the headers (a lie, or a bomb's honest size). */
  declaredSize?: number;
  /** Data already raw-deflated (a bomb); written as is with method 8. */
  rawDeflated?: boolean;
}

const u16 = (n: number) => Buffer.from([n & 0xff, (n >>> 8) & 0xff]);
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

export function buildZip(entries: ZipEntryInput[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const raw = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : Buffer.from(entry.data);
    const compressed = entry.rawDeflated ? raw : deflateRawSync(raw);
    const size = entry.declaredSize ?? raw.length;
    const crc = entry.rawDeflated ? 0 : crc32(raw);
    const name = Buffer.from(entry.name, 'utf8');
    const common = [u16(20), u16(0x0800), u16(8), u16(0), u16(0x21), u32(crc), u32(compressed.length), u32(size), u16(name.length), u16(0)];
    const local = Buffer.concat([u32(0x04034b50), ...common, name, compressed]);
    centrals.push(Buffer.concat([u32(0x02014b50), u16(20), ...common, u16(0), u16(0), u16(0), u32(0), u32(offset), name]));
    locals.push(local);
    offset += local.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(directory.length), u32(offset), u16(0)]);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/** Raw deflate data that expands to about `megabytes` MiB of `fill`, built from one repeated segment. */
export function deflateBomb(megabytes: number, fill = ' '): Buffer {
  const segment = deflateRawSync(Buffer.alloc(1024 * 1024, fill), { finishFlush: constants.Z_SYNC_FLUSH });
  const last = deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array.from({ length: megabytes }, () => segment), last]);
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export const docxBody = (paragraphs: string[]) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>` +
  paragraphs.map((p) => `<w:p><w:r><w:t>${p}</w:t></w:r></w:p>`).join('') +
  '</w:body></w:document>';

/** A minimal valid DOCX package around the given word/document.xml entry (and any extra parts). */
export function buildDocx(document: Omit<ZipEntryInput, 'name'>, extra: ZipEntryInput[] = []): Uint8Array {
  return buildZip([
    {
      name: '[Content_Types].xml',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      data:
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    },
    { name: 'word/document.xml', ...document },
    ...extra,
  ]);
}
