/**
 * Recognises an upload's type from its bytes; the file name's extension only breaks ties between text flavours (and
 * names the type of an empty or truncated file). A PDF named .docx is a PDF; text named .pdf is text. Unknown
 * binary is null (the upload route answers 415). DOCX needs the whole file: its directory is at the end of the zip.
 */
import { recogniseText } from './text-encoding.ts';
import type { DetectedMediaType, MediaType } from './types.ts';
import { isZip, readZipDirectory } from './zip-directory.ts';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const EXTENSIONS: Record<string, MediaType> = {
  pdf: PDF,
  docx: DOCX,
  md: 'text/markdown',
  markdown: 'text/markdown',
  mdown: 'text/markdown',
  mkd: 'text/markdown',
  txt: 'text/plain',
  text: 'text/plain',
  html: 'text/html',
  htm: 'text/html',
  xhtml: 'text/html',
};

const extensionType = (fileName?: string): MediaType | undefined => {
  const match = /\.([a-z0-9]+)$/i.exec(fileName ?? '');
  return match ? EXTENSIONS[match[1]!.toLowerCase()] : undefined;
};

function hasPdfHeader(bytes: Uint8Array): boolean {
  // The spec lets the header start anywhere in the first 1024 bytes; an object nearby rules out prose about PDFs.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 65536));
  const at = head.search(/(?:^|[\r\n])%PDF-[12]\.\d/);
  return at >= 0 && at < 1024 && (at === 0 || /\d+ \d+ obj\b/.test(head));
}

/** The first local header's name tells a DOCX apart from other zips even when the directory is cut off. */
function firstZipEntryName(bytes: Uint8Array): string {
  if (bytes.length < 30) return '';
  const nameLength = bytes[26]! | (bytes[27]! << 8);
  return new TextDecoder('utf-8').decode(bytes.subarray(30, 30 + nameLength));
}

function zipKind(bytes: Uint8Array, byExtension: MediaType | undefined): MediaType | null {
  const entries = readZipDirectory(bytes);
  if (entries) return entries.some((e) => e.name === 'word/document.xml') ? DOCX : null;
  const first = firstZipEntryName(bytes);
  const looksLikeWord = first === '[Content_Types].xml' || first.startsWith('word/') || first.startsWith('_rels/');
  return looksLikeWord || byExtension === DOCX ? DOCX : null;
}

const HTML_DECISIVE = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!doctype\s+html|<html[\s>])/i;
const HTML_FRAME = /<(?:html|head|body)[\s>]/i;
const HTML_TAG = /<\/?(?:p|div|h[1-6]|ul|ol|li|table|tr|td|th|span|a|br|section|article|strong|em)\b[^>]*>/gi;

/** Weights of markdown signals per line; structural ones (headings, fences, tables, links) are required. */
const MARKDOWN_SIGNALS: { pattern: RegExp; weight: number; structural: boolean }[] = [
  { pattern: /^#{1,6}\s+\S/, weight: 2, structural: true },
  { pattern: /^\s*(?:```|~~~)/, weight: 2, structural: true },
  { pattern: /^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$/, weight: 3, structural: true },
  { pattern: /\[[^\]\n]+\]\([^)\s]+\)/, weight: 1, structural: true },
  { pattern: /^\s*(?:[-*+]|\d+[.)])\s+\S/, weight: 1, structural: false },
  { pattern: /\*\*[^*\n]+\*\*|`[^`\n]+`/, weight: 1, structural: false },
];

function markdownScore(sample: string): number {
  let score = 0;
  let structural = false;
  let previous = '';
  for (const line of sample.split('\n', 2000)) {
    for (const signal of MARKDOWN_SIGNALS) {
      if (!signal.pattern.test(line)) continue;
      score += signal.weight;
      structural ||= signal.structural;
    }
    // A setext heading underline.
    if (/^(?:=+|-+)\s*$/.test(line) && previous.trim() !== '') {
      score += 2;
      structural = true;
    }
    previous = line;
  }
  return structural ? score : 0;
}

function textKind(sample: string, byExtension: MediaType | undefined): MediaType {
  if (HTML_DECISIVE.test(sample)) return 'text/html';
  if (byExtension === 'text/markdown' || byExtension === 'text/plain') return byExtension;
  const tags = sample.match(HTML_TAG)?.length ?? 0;
  const anyTag = /<\/?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?>/.test(sample);
  if (HTML_FRAME.test(sample) || tags >= 5 || (byExtension === 'text/html' && anyTag)) return 'text/html';
  return markdownScore(sample) >= 2 ? 'text/markdown' : 'text/plain';
}

export function detectMediaType(bytes: Uint8Array, fileName?: string): DetectedMediaType | null {
  const byExtension = extensionType(fileName);
  if (bytes.length === 0) {
    // Nothing to recognise: keep the declared type so the parser can say "file is empty".
    return byExtension === undefined || byExtension.startsWith('text/')
      ? { mediaType: byExtension ?? 'text/plain', encoding: 'utf-8' }
      : { mediaType: byExtension };
  }
  if (hasPdfHeader(bytes)) return { mediaType: PDF };
  if (isZip(bytes)) {
    const kind = zipKind(bytes, byExtension);
    return kind ? { mediaType: kind } : null;
  }
  const text = recogniseText(bytes);
  if (!text) return null;
  // The start of the file tells its flavour; the whole 256 kB sample only had to decode.
  return { mediaType: textKind(text.sample.slice(0, 65536), byExtension), encoding: text.encoding };
}
