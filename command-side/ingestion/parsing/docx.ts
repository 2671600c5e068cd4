/**
 * DOCX to blocks: mammoth's HTML (headings from Word styles, lists, tables, footnotes) read back into blocks.
 * Images are dropped and external files are never opened. Runs inside the parse sandbox after checkDocx.
 */
import mammoth from 'mammoth';
import { checkDocx } from './docx-guard.ts';
import { htmlToBlocks } from './html-blocks.ts';
import { ParseFailure, type ParseLimits, type ParsedDocument } from './types.ts';

const noImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

/**
 * Added to mammoth's defaults, which already map Word's built-in headings by style id (Heading1) and by name
 * (heading 1, the name Word writes in every UI language: Chinese Word's ids are 1, 2, …). Not in the defaults: the
 * Title style, and heading styles named in Chinese (标题 1), which mammoth would turn into plain paragraphs.
 */
const HEADING_STYLES = [
  "p[style-name='Title'] => h1:fresh",
  ...[1, 2, 3, 4, 5, 6].map((level) => `p[style-name='标题 ${level}'] => h${level}:fresh`),
];

export async function parseDocx(
  bytes: Uint8Array,
  limits: ParseLimits,
  onText: (chars: number) => void,
): Promise<ParsedDocument> {
  checkDocx(bytes, limits.maxZipEntryBytes);
  let html: string;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const options = { convertImage: noImages, externalFileAccess: false, styleMap: HEADING_STYLES };
    html = (await mammoth.convertToHtml({ buffer }, options)).value;
  } catch (error) {
    throw error instanceof ParseFailure ? error : new ParseFailure('file is corrupt', { cause: error });
  }
  const blocks = htmlToBlocks(html, onText);
  const charCount = blocks.reduce((sum, block) => sum + block.text.length, 0);
  return { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', blocks, charCount };
}
