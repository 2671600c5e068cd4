import { afterAll, describe, expect, it } from 'vitest';
import { chunkDocument } from '../chunking/chunk-document.ts';
import { detectMediaType } from './media-type.ts';
import { extractChunks, parseDocument } from './parse-document.ts';
import { closeParseSandbox } from './sandbox-process.ts';
import { readFixture, TEST_LIMITS } from './testing/fixtures.ts';
import type { ParsedDocument } from './types.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function parseFixture(name: string, limits = TEST_LIMITS): Promise<ParsedDocument> {
  const bytes = await readFixture(name);
  const detected = detectMediaType(bytes, name);
  if (!detected) throw new Error(`${name} not recognised`);
  return parseDocument(bytes, { ...detected, limits });
}

afterAll(() => closeParseSandbox());

describe('parseDocument on the shared fixtures', () => {
  it('reads the 63 pages of maint-guide.en.pdf with page numbers, and chunks it within budget', async () => {
    const parsed = await parseFixture('maint-guide.en.pdf');
    expect(parsed.mediaType).toBe('application/pdf');
    expect(parsed.pageCount).toBe(63);
    expect(new Set(parsed.blocks.map((b) => b.page)).size).toBe(63);
    expect(parsed.blocks[0]).toMatchObject({ kind: 'paragraph', page: 1 });
    const headings = parsed.blocks.filter((b) => b.kind === 'heading');
    expect(headings.length).toBeGreaterThan(50);
    expect(headings[0]).toEqual({ kind: 'heading', text: 'Getting started The Right Way', level: 1, page: 7 });
    expect(headings[1]).toEqual({ kind: 'heading', text: '1.1 Social dynamics of Debian', level: 2, page: 7 });
    expect(parsed.blocks[0]!.text).toContain('Debian New Maintainers’ Guide');
    expect(parsed.charCount).toBeGreaterThan(150_000);
    const text = parsed.blocks.map((b) => b.text).join('\n');
    expect(text).toContain('dh_make');
    const chunks = chunkDocument(parsed);
    expect(chunks.length).toBeGreaterThan(150);
    expect(Math.max(...chunks.map((c) => c.tokenCount))).toBeLessThanOrEqual(300);
    expect(chunks.at(-1)!.pageEnd).toBe(63);
    const social = chunks.find((c) => c.headingPath.join(' > ') === 'Getting started The Right Way > 1.1 Social dynamics of Debian');
    expect(social?.page).toBe(7);
  });

  it('reads libtasn1.pdf', async () => {
    const parsed = await parseFixture('libtasn1.pdf');
    expect(parsed.pageCount).toBe(36);
    expect(parsed.blocks.map((b) => b.text).join('\n')).toContain('Abstract Syntax Notation One');
  });

  it('reads DOCX footnotes, lists, tables and a BOM-prefixed part', async () => {
    expect((await parseFixture('footnotes.docx')).blocks).toEqual([
      { kind: 'paragraph', text: 'Ouch[1].[2]' },
      { kind: 'list-item', text: 'A tachyon walks into a bar.', level: 1 },
      { kind: 'list-item', text: 'Fin.', level: 1 },
    ]);
    expect((await parseFixture('simple-list.docx')).blocks).toEqual([
      { kind: 'list-item', text: 'Apple', level: 1 },
      { kind: 'list-item', text: 'Banana', level: 1 },
    ]);
    expect((await parseFixture('tables.docx')).blocks).toEqual([
      { kind: 'paragraph', text: 'Above' },
      { kind: 'table-row', text: 'Top left | Top right' },
      { kind: 'table-row', text: 'Bottom left | Bottom right' },
      { kind: 'paragraph', text: 'Below' },
    ]);
    const bom = await parseFixture('utf8-bom.docx');
    expect(bom).toEqual({ mediaType: DOCX, blocks: [{ kind: 'paragraph', text: 'This XML has a byte order mark.' }], charCount: 31 });
  });

  it('refuses files over the page and character limits, and parses that run out of time', async () => {
    await expect(parseFixture('maint-guide.en.pdf', { ...TEST_LIMITS, maxPages: 10 })).rejects.toThrow('too many pages');
    await expect(parseFixture('libtasn1.pdf', { ...TEST_LIMITS, maxChars: 10_000 })).rejects.toThrow(
      'text exceeds the character limit',
    );
    await expect(parseFixture('maint-guide.en.pdf', { ...TEST_LIMITS, timeoutMs: 30 })).rejects.toThrow(
      'parsing took too long',
    );
  });
});

describe('extractChunks', () => {
  it('brings back every chunk of a long manual, in order, as chunking in this process gives them', async () => {
    const bytes = await readFixture('maint-guide.en.pdf');
    const chunkOptions = { maxTokens: 100, maxCjkChars: 150, overlapTokens: 20 };
    const options = { ...detectMediaType(bytes, 'maint-guide.en.pdf')!, limits: TEST_LIMITS, chunkOptions };
    const extracted = await extractChunks(bytes, options);
    const here = chunkDocument(await parseDocument(bytes, options), chunkOptions);
    // More than one message's worth: the sandbox sends chunks a few hundred at a time.
    expect(extracted.chunks.length).toBeGreaterThan(256);
    expect(extracted.chunks).toEqual(here);
    expect(extracted.pageCount).toBe(63);
  });
});
