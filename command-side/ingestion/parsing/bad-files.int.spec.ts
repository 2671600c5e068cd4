/**
 * Hostile and broken files, generated here: each must end in a ParseFailure with its human reason, quickly, while
 * the caller's event loop keeps ticking.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { detectMediaType } from './media-type.ts';
import { parseDocument } from './parse-document.ts';
import { closeParseSandbox } from './sandbox-process.ts';
import { readFixture, TEST_LIMITS } from './testing/fixtures.ts';
import { buildPdf } from './testing/pdf-builder.ts';
import { buildDocx, deflateBomb, docxBody } from './testing/zip-builder.ts';
import type { ParsedDocument } from './types.ts';

afterAll(() => closeParseSandbox());

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const billionLaughs =
  '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') +
  `]><w:document ${W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>`;

async function parse(bytes: Uint8Array, fileName: string, limits = TEST_LIMITS): Promise<ParsedDocument> {
  const detected = detectMediaType(bytes, fileName);
  if (!detected) throw new Error('not recognised');
  return parseDocument(bytes, { ...detected, limits });
}

/** Runs `work` while a 50 ms timer ticks; returns the longest gap between ticks and the elapsed time. */
async function whileTicking(work: () => Promise<unknown>): Promise<{ maxGapMs: number; elapsedMs: number }> {
  let last = performance.now();
  let maxGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 50);
  const start = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { maxGapMs, elapsedMs: performance.now() - start };
}

describe('broken and hostile files', () => {
  it('says why a PDF cannot be read: truncated, encrypted, scanned', async () => {
    const guide = await readFixture('maint-guide.en.pdf');
    await expect(parse(guide.subarray(0, guide.length >> 1), 'guide.pdf')).rejects.toThrow('file is corrupt');
    await expect(parse(buildPdf([{ text: 'secret' }], { encrypted: true }), 'x.pdf')).rejects.toThrow('PDF is encrypted');
    const scan = buildPdf([{ image: true }, { image: true }, { image: true }]);
    await expect(parse(scan, 'scan.pdf')).rejects.toThrow('no text layer: scanned PDF');
  });

  it('says an empty file is empty, whatever its name', async () => {
    await expect(parse(new Uint8Array(0), 'empty.pdf')).rejects.toThrow('file is empty');
    await expect(parse(new Uint8Array(0), 'empty.docx')).rejects.toThrow('file is empty');
    await expect(parse(new TextEncoder().encode(' \n\n\t \n'), 'blank.txt')).rejects.toThrow('file is empty');
  });

  it('stops a DOCX zip bomb before inflating it, whether its sizes are honest or lies', async () => {
    const honest = buildDocx({ data: deflateBomb(1000, 'a'), rawDeflated: true, declaredSize: 1000 * 1024 * 1024 });
    const lying = buildDocx({ data: deflateBomb(1000, 'a'), rawDeflated: true, declaredSize: 20_000 });
    expect(honest.length).toBeLessThan(1_200_000);
    const run = await whileTicking(async () => {
      await expect(parse(honest, 'bomb.docx')).rejects.toThrow('DOCX zip entry too large');
      await expect(parse(lying, 'bomb.docx')).rejects.toThrow('DOCX zip entry too large');
    });
    expect(run.elapsedMs).toBeLessThan(10_000);
  });

  it('stops a DOCX within the size limits whose conversion needs too much memory', async () => {
    const dense = buildDocx({ data: docxBody(Array.from({ length: 450_000 }, () => 'a')) });
    await expect(parse(dense, 'dense.docx')).rejects.toThrow('parsing needed too much memory');
  });

  it('refuses XML entity declarations in a DOCX (billion laughs)', async () => {
    await expect(parse(buildDocx({ data: billionLaughs }), 'lol.docx')).rejects.toThrow(
      'DOCX contains XML entity declarations',
    );
  });

  it('says a DOCX is corrupt when its zip is cut off', async () => {
    const docx = buildDocx({ data: docxBody(['hello world']) });
    await expect(parse(docx.subarray(0, docx.length - 30), 'cut.docx')).rejects.toThrow('file is corrupt');
  });

  it('finds a PDF flate bomb before pdf.js inflates it, while the caller keeps ticking', async () => {
    const bomb = buildPdf([{ bombMegabytes: 1000 }]);
    expect(bomb.length).toBeLessThan(1_100_000);
    const run = await whileTicking(() => expect(parse(bomb, 'bomb.pdf')).rejects.toThrow('parsing needed too much memory'));
    expect(run.elapsedMs).toBeLessThan(10_000);
    expect(run.maxGapMs).toBeLessThan(1_000);
  });

  it('kills the parser over the memory cap when many small streams add up (the resident-memory watch)', async () => {
    // Each stream passes the per-stream check (40 MiB < 200/4 MiB); pdf.js concatenates them as it lexes.
    const bomb = buildPdf([{ bombMegabytes: 40, bombStreams: 12 }]);
    const run = await whileTicking(() =>
      expect(parse(bomb, 'bomb.pdf', { ...TEST_LIMITS, memoryMb: 200 })).rejects.toMatchObject({
        reason: 'parsing needed too much memory',
        cause: expect.stringMatching(/kB resident$/),
      }),
    );
    expect(run.elapsedMs).toBeLessThan(30_000);
    expect(run.maxGapMs).toBeLessThan(1_000);
  });
});

describe('mislabelled files and text encodings', () => {
  it('parses a PDF named .docx as a PDF and text named .pdf as text', async () => {
    const pdf = await parse(buildPdf([{ text: 'Hello from a PDF' }]), 'report.docx');
    expect(pdf).toMatchObject({ mediaType: 'application/pdf', blocks: [{ kind: 'paragraph', text: 'Hello from a PDF', page: 1 }] });
    const text = await parse(new TextEncoder().encode('Plain words.\n\nMore words.'), 'report.pdf');
    expect(text.blocks).toEqual([
      { kind: 'paragraph', text: 'Plain words.' },
      { kind: 'paragraph', text: 'More words.' },
    ]);
  });

  it('decodes GB18030 and UTF-16 text', async () => {
    // 中文测试。 in GB18030
    const gb = new Uint8Array([0xd6, 0xd0, 0xce, 0xc4, 0xb2, 0xe2, 0xca, 0xd4, 0xa1, 0xa3]);
    expect((await parse(gb, 'zh.txt')).blocks).toEqual([{ kind: 'paragraph', text: '中文测试。' }]);
    const utf16le = new Uint8Array([0xff, 0xfe, ...Array.from('# 标题\n\n正文').flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]);
    const parsed = await parse(utf16le, 'doc');
    expect(parsed.mediaType).toBe('text/markdown');
    expect(parsed.blocks).toEqual([
      { kind: 'heading', text: '标题', level: 1 },
      { kind: 'paragraph', text: '正文' },
    ]);
  });
});
