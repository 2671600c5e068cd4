/**
 * DOCX to blocks: mammoth's HTML (headings from Word styles, lists, tables, footnotes) read back into blocks.
 * Images are dropped and external files are never opened. Runs inside the parse sandbox after checkDocx.
 */
import mammoth from 'mammoth';
import { checkDocx } from './docx-guard.ts';
import { htmlToBlocks } from './html-blocks.ts';
import { ParseFailure, type ParseLimits, type ParsedDocument } from './types.ts';

const noImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

export async function parseDocx(
  bytes: Uint8Array,
  limits: ParseLimits,
  onText: (chars: number) => void,
): Promise<ParsedDocument> {
  checkDocx(bytes, limits.maxZipEntryBytes);
  let html: string;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    html = (await mammoth.convertToHtml({ buffer }, { convertImage: noImages, externalFileAccess: false })).value;
  } catch (error) {
    throw error instanceof ParseFailure ? error : new ParseFailure('file is corrupt', { cause: error });
  }
  const blocks = htmlToBlocks(html, onText);
  const charCount = blocks.reduce((sum, block) => sum + block.text.length, 0);
  return { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', blocks, charCount };
}
