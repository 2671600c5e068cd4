/**
 * Builds small PDFs in memory for tests: text pages (Helvetica), image-only pages (a scan), an encrypted file (a
 * Standard security handler whose user password is not empty), and a flate bomb in a page's content stream. A line
 * with characters beyond Latin-1 (Chinese) is drawn in a second font whose ToUnicode map gives each of them a
 * one-byte code, which is how text extraction reads it back (up to 190 distinct characters per file).
 */
import { deflateBomb } from './zip-builder.ts';

export interface PdfPage {
  text?: string;
  /** Draw an 8x8 grey image instead of text. */
  image?: boolean;
  /** Replace the content stream with a FlateDecode stream expanding to this many MiB. */
  bombMegabytes?: number;
  /** Repeat that bomb stream this many times in the page's /Contents array (each one small, together large). */
  bombStreams?: number;
}

const ZLIB_HEADER = Buffer.from([0x78, 0x9c]);

const escapePdfString = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);

function stream(dictionary: string, data: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`<< ${dictionary} /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);
}

const FIRST_CODE = 0x41;
const beyondLatin1 = (line: string) => Array.from(line).some((char) => char.codePointAt(0)! > 0xff);

/** One-byte codes for every character of the lines beyond Latin-1, from 'A' (control codes draw nothing). */
function wideCodes(pages: PdfPage[]): Map<string, number> {
  const codes = new Map<string, number>();
  for (const page of pages) {
    for (const line of (page.text ?? '').split('\n').filter(beyondLatin1)) {
      for (const char of line) if (!codes.has(char)) codes.set(char, FIRST_CODE + codes.size);
    }
  }
  if (FIRST_CODE + codes.size > 0xff) throw new RangeError('buildPdf draws at most 190 distinct characters in wide lines');
  return codes;
}

function toUnicodeMap(codes: Map<string, number>): Buffer {
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, '0');
  const utf16 = (char: string) => Array.from(Buffer.from(char, 'utf16le').swap16()).map((b) => hex(b, 2)).join('');
  const entries = [...codes].map(([char, code]) => `<${hex(code, 2)}> <${utf16(char)}>`);
  const cmap =
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Wide def\n' +
    '1 begincodespacerange <00> <FF> endcodespacerange\n' +
    `${entries.length} beginbfchar\n${entries.join('\n')}\nendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end`;
  return stream('', Buffer.from(cmap, 'latin1'));
}

function drawLine(line: string, codes: Map<string, number>): string {
  if (!beyondLatin1(line)) return `/F1 12 Tf (${escapePdfString(line)}) Tj`;
  const encoded = Array.from(line, (char) => `\\${codes.get(char)!.toString(8).padStart(3, '0')}`).join('');
  return `/F2 12 Tf (${encoded}) Tj`;
}

function pageContent(page: PdfPage, codes: Map<string, number>): Buffer {
  if (page.bombMegabytes) return stream('/Filter /FlateDecode', Buffer.concat([ZLIB_HEADER, deflateBomb(page.bombMegabytes)]));
  if (page.image) return stream('', Buffer.from('q 200 0 0 200 100 400 cm /Im1 Do Q', 'latin1'));
  const lines = (page.text ?? '').split('\n').map((line, i) => `BT 72 ${720 - i * 16} Td ${drawLine(line, codes)} ET`);
  return stream('', Buffer.from(lines.join('\n'), 'latin1'));
}

export function buildPdf(pages: PdfPage[], options: { encrypted?: boolean } = {}): Uint8Array {
  const objects: Buffer[] = [];
  const add = (body: Buffer | string) => objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body) ;
  add('<< /Type /Catalog /Pages 2 0 R >>');
  const pageRefs: number[] = [];
  add('');
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  add(stream('/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8', Buffer.alloc(64, 0x80)));
  const codes = wideCodes(pages);
  add(toUnicodeMap(codes));
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>');
  for (const page of pages) {
    const contents = Array.from({ length: page.bombStreams ?? 1 }, () => {
      add(pageContent(page, codes));
      return `${objects.length} 0 R`;
    });
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R /F2 6 0 R >> /XObject << /Im1 4 0 R >> >> /Contents [${contents.join(' ')}] >>`,
    );
    pageRefs.push(objects.length);
  }
  objects[1] = Buffer.from(`<< /Type /Pages /Kids [${pageRefs.map((n) => `${n} 0 R`).join(' ')}] /Count ${pages.length} >>`, 'latin1');
  let trailerExtra = '';
  if (options.encrypted) {
    const hex = (seed: number) => Array.from({ length: 32 }, (_, i) => ((i * 37 + seed) & 0xff).toString(16).padStart(2, '0')).join('');
    add(`<< /Filter /Standard /V 1 /R 2 /O <${hex(7)}> /U <${hex(11)}> /P -44 >>`);
    trailerExtra = ` /Encrypt ${objects.length} 0 R /ID [<${hex(3).slice(0, 32)}> <${hex(3).slice(0, 32)}>]`;
  }
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const object = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(object);
    length += object.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${trailerExtra} >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}
