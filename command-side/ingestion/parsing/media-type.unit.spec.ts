import { describe, expect, it } from 'vitest';
import { detectMediaType } from './media-type.ts';
import { buildPdf } from './testing/pdf-builder.ts';
import { buildDocx, buildZip, docxBody } from './testing/zip-builder.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const utf8 = (text: string) => new TextEncoder().encode(text);
const gb18030 = (text: string) => {
  // Node's TextEncoder only writes UTF-8: encode GB18030 through the decoder's inverse over the BMP characters used.
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gb18030');
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      table.set(decoder.decode(new Uint8Array([lead, trail])), [lead, trail]);
    }
  }
  return new Uint8Array([...text].flatMap((c) => (c.charCodeAt(0) < 0x80 ? [c.charCodeAt(0)] : table.get(c)!)));
};
const utf16 = (text: string, endian: 'le' | 'be') => {
  const bytes = [endian === 'le' ? 0xff : 0xfe, endian === 'le' ? 0xfe : 0xff];
  for (const unit of Array.from({ length: text.length }, (_, i) => text.charCodeAt(i))) {
    bytes.push(...(endian === 'le' ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff]));
  }
  return new Uint8Array(bytes);
};

describe('detectMediaType', () => {
  it('recognises PDF and DOCX from their bytes whatever the name says', () => {
    const pdf = buildPdf([{ text: 'hello' }]);
    const docx = buildDocx({ data: docxBody(['hello']) });
    expect(detectMediaType(pdf, 'report.pdf')).toEqual({ mediaType: 'application/pdf' });
    expect(detectMediaType(pdf, 'report.docx')).toEqual({ mediaType: 'application/pdf' });
    expect(detectMediaType(docx, 'notes.pdf')).toEqual({ mediaType: DOCX });
    expect(detectMediaType(docx)).toEqual({ mediaType: DOCX });
  });

  it('calls text named .pdf or .docx text', () => {
    expect(detectMediaType(utf8('Just some words.\nAnd more.'), 'fake.pdf')).toEqual({ mediaType: 'text/plain', encoding: 'utf-8' });
    expect(detectMediaType(utf8('# Title\n\nBody text.'), 'fake.docx')).toEqual({ mediaType: 'text/markdown', encoding: 'utf-8' });
  });

  it('recognises GB18030 Chinese and UTF-16 with a BOM', () => {
    const chinese = '知识库是一个存放文档的地方。它可以被检索！';
    expect(new TextDecoder('gb18030').decode(gb18030(chinese))).toBe(chinese);
    expect(detectMediaType(gb18030(chinese), 'zh.txt')).toEqual({ mediaType: 'text/plain', encoding: 'gb18030' });
    expect(detectMediaType(utf16(chinese, 'le'))).toEqual({ mediaType: 'text/plain', encoding: 'utf-16le' });
    expect(detectMediaType(utf16('# Heading\n\ntext', 'be'))).toEqual({ mediaType: 'text/markdown', encoding: 'utf-16be' });
    expect(detectMediaType(utf8('\ufeffplain with BOM'))).toEqual({ mediaType: 'text/plain', encoding: 'utf-8' });
  });

  it('tells markdown, HTML and plain text apart, the extension breaking ties', () => {
    const markdown = '# Guide\n\nSome *text* with a [link](http://x.org).\n\n- one\n- two\n';
    expect(detectMediaType(utf8(markdown))?.mediaType).toBe('text/markdown');
    expect(detectMediaType(utf8(markdown), 'readme.txt')?.mediaType).toBe('text/plain');
    expect(detectMediaType(utf8('<!DOCTYPE html><html><body><p>Hi</p></body></html>'), 'page.txt')?.mediaType).toBe('text/html');
    expect(detectMediaType(utf8('<p>one</p><p>two</p><ul><li>a</li><li>b</li></ul>'))?.mediaType).toBe('text/html');
    expect(detectMediaType(utf8('Dear team,\n\nthe meeting moved to 3 pm.\n'))?.mediaType).toBe('text/plain');
    expect(detectMediaType(utf8('1 < 2 and <b>bold</b>'), 'x.html')?.mediaType).toBe('text/html');
    expect(detectMediaType(utf8('Prose that mentions %PDF-1.4 at the start of a line:\n%PDF-1.7\nis a header.'))?.mediaType).toBe('text/plain');
  });

  it('answers null for unknown binary and for zips that are not Word documents', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    expect(detectMediaType(png, 'photo.pdf')).toBeNull();
    expect(detectMediaType(random)).toBeNull();
    expect(detectMediaType(buildZip([{ name: 'xl/workbook.xml', data: '<workbook/>' }]), 'sheet.docx')).toBeNull();
  });

  it('keeps the declared type of an empty file so parsing can say it is empty', () => {
    expect(detectMediaType(new Uint8Array(0), 'x.pdf')).toEqual({ mediaType: 'application/pdf' });
    expect(detectMediaType(new Uint8Array(0))).toEqual({ mediaType: 'text/plain', encoding: 'utf-8' });
  });

  it('recognises a truncated DOCX (directory cut off) from its first entry', () => {
    const docx = buildDocx({ data: docxBody(['hello']) });
    expect(detectMediaType(docx.subarray(0, 200), 'upload.bin')).toEqual({ mediaType: DOCX });
  });
});
