/**
 * Turns bytes of a recognised type into blocks, in the current process. Only the parse sandbox calls this directly:
 * PDF and DOCX parsers can be made to eat gigabytes and minutes, so everyone else goes through parseDocument.
 */
import { cleanDocument } from './clean-text.ts';
import { parseDocx } from './docx.ts';
import { htmlToBlocks } from './html-blocks.ts';
import { markdownToBlocks } from './markdown-blocks.ts';
import { parsePdf } from './pdf.ts';
import { plainToBlocks } from './plain-blocks.ts';
import { decodeText, recogniseText } from './text-encoding.ts';
import { ParseFailure, type Block, type MediaType, type ParseLimits, type ParsedDocument, type TextEncoding } from './types.ts';

export interface ParseRequest {
  mediaType: MediaType;
  encoding?: TextEncoding;
  limits: ParseLimits;
}

function characterBudget(maxChars: number): (chars: number) => void {
  let seen = 0;
  return (chars) => {
    seen += chars;
    if (seen > maxChars) throw new ParseFailure('text exceeds the character limit');
  };
}

function parseText(bytes: Uint8Array, request: ParseRequest, onText: (chars: number) => void): ParsedDocument {
  const encoding = request.encoding ?? recogniseText(bytes)?.encoding;
  if (!encoding) throw new ParseFailure('file is corrupt');
  const text = decodeText(bytes, encoding);
  const toBlocks: Record<string, (text: string, onText: (chars: number) => void) => Block[]> = {
    'text/markdown': markdownToBlocks,
    'text/html': htmlToBlocks,
    'text/plain': plainToBlocks,
  };
  const blocks = (toBlocks[request.mediaType] ?? plainToBlocks)(text, onText);
  const charCount = blocks.reduce((sum, block) => sum + block.text.length, 0);
  return { mediaType: request.mediaType, blocks, charCount };
}

export async function parseInProcess(bytes: Uint8Array, request: ParseRequest): Promise<ParsedDocument> {
  if (bytes.length === 0) throw new ParseFailure('file is empty');
  const onText = characterBudget(request.limits.maxChars);
  let parsed: ParsedDocument;
  switch (request.mediaType) {
    case 'application/pdf':
      parsed = await parsePdf(bytes, request.limits, onText);
      break;
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      parsed = await parseDocx(bytes, request.limits, onText);
      break;
    case 'text/markdown':
    case 'text/html':
    case 'text/plain':
      parsed = parseText(bytes, request, onText);
      break;
    default: {
      const unknown: never = request.mediaType;
      throw new ParseFailure('unsupported file type', { cause: unknown });
    }
  }
  const clean = cleanDocument(parsed);
  if (clean.blocks.length === 0) throw new ParseFailure('file is empty');
  return clean;
}
