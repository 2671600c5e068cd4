/**
 * Builds small PDFs in memory for tests: text pages (Helvetica), image-only pages (a scan), an encrypted file (a
 * Standard security handler whose user password is not empty), and a flate bomb in a page's content stream.
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

function pageContent(page: PdfPage): Buffer {
  if (page.bombMegabytes) return stream('/Filter /FlateDecode', Buffer.concat([ZLIB_HEADER, deflateBomb(page.bombMegabytes)]));
  if (page.image) return stream('', Buffer.from('q 200 0 0 200 100 400 cm /Im1 Do Q', 'latin1'));
  const lines = (page.text ?? '').split('\n').map((line, i) => `BT /F1 12 Tf 72 ${720 - i * 16} Td (${escapePdfString(line)}) Tj ET`);
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
  for (const page of pages) {
    const contents = Array.from({ length: page.bombStreams ?? 1 }, () => {
      add(pageContent(page));
      return `${objects.length} 0 R`;
    });
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> /Contents [${contents.join(' ')}] >>`,
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
