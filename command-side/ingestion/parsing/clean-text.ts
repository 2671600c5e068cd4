/**
 * Makes block text safe to store: parsed text goes into events (jsonb), and Postgres refuses NUL characters and
 * lone surrogates. pdf.js emits NULs for unmapped glyphs; XML character references can produce lone surrogates.
 * Other control characters (except tab and newline) are noise to readers and indexes.
 */
import type { Block, ParsedDocument } from './types.ts';

// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const cleanText = (text: string): string =>
  text.replace(/\r\n?|[\f\v]/g, '\n').replace(CONTROL, '').replace(LONE_SURROGATE, '\ufffd');

export function cleanDocument(parsed: ParsedDocument): ParsedDocument {
  const blocks: Block[] = [];
  for (const block of parsed.blocks) {
    const text = cleanText(block.text).trim();
    if (text !== '') blocks.push({ ...block, text });
  }
  return { ...parsed, blocks, charCount: blocks.reduce((sum, block) => sum + block.text.length, 0) };
}
