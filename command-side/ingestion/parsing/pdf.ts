/**
 * PDF to blocks with pdf-parse 2 (pdf.js inside), one page at a time so the page and character limits stop work
 * early. pdf.js gets the bytes only: no URL, no worker fetches, no eval. Runs inside the parse sandbox.
 */
import { PDFParse } from 'pdf-parse';
import { joinWrappedCjkLines } from './cjk-line-wraps.ts';
import { createOutlineReader, type OutlineItem } from './pdf-outline.ts';
import { checkPdfStreams } from './pdf-guard.ts';
import { plainToBlocks } from './plain-blocks.ts';
import { ParseFailure, type Block, type ParseLimits, type ParsedDocument } from './types.ts';

function failureOf(error: unknown): ParseFailure {
  if (error instanceof ParseFailure) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') return new ParseFailure('PDF is encrypted', { cause: error });
  return new ParseFailure('file is corrupt', { cause: error });
}

/** Scanned pages often carry a page number or a stray glyph; that is not a text layer. */
const hasTextLayer = (letters: number, pages: number) => letters > 0 && (pages < 3 || letters >= pages * 10);

export async function parsePdf(
  bytes: Uint8Array,
  limits: ParseLimits,
  onText: (chars: number) => void,
): Promise<ParsedDocument> {
  checkPdfStreams(bytes, limits.memoryMb);
  const parser = new PDFParse({
    data: bytes,
    verbosity: 0,
    isEvalSupported: false,
    useWorkerFetch: false,
    disableFontFace: true,
    stopAtErrors: false,
  });
  try {
    const { total, outline } = await parser.getInfo();
    if (total > limits.maxPages) throw new ParseFailure('too many pages');
    const readPage = createOutlineReader(outline as OutlineItem[] | null | undefined);
    const blocks: Block[] = [];
    let letters = 0;
    for (let page = 1; page <= total; page++) {
      const result = await parser.getText({ partial: [page], pageJoiner: '' });
      // Table-of-contents dot leaders carry nothing for a reader or an index.
      const text = (result.pages[0]?.text ?? '').replace(/(?: ?\.){5,}/g, ' … ');
      letters += text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
      blocks.push(...readPage(text, page, (paragraphs) => plainToBlocks(joinWrappedCjkLines(paragraphs), onText)));
    }
    if (!hasTextLayer(letters, total)) throw new ParseFailure('no text layer: scanned PDF');
    const charCount = blocks.reduce((sum, block) => sum + block.text.length, 0);
    return { mediaType: 'application/pdf', blocks, pageCount: total, charCount };
  } catch (error) {
    throw failureOf(error);
  } finally {
    await parser.destroy().catch(() => {});
  }
}
