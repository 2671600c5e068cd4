/**
 * Recognising and decoding text. Order matters: a BOM wins; then strict UTF-8; then strict GB18030 (Chinese text in
 * GB18030 is almost never valid UTF-8, while random binary is rarely valid GB18030). Text must also look like text:
 * no NUL bytes and few control characters.
 */
import type { TextEncoding } from './types.ts';

/** Enough to recognise a file without decoding much of it on the request path (1 MB took 40-80 ms of the API's loop). */
const SAMPLE_BYTES = 256 * 1024;

export function bomEncoding(bytes: Uint8Array): { encoding: TextEncoding; bomLength: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return null;
}

function decodesStrictly(encoding: TextEncoding, sample: Uint8Array): string | null {
  try {
    // stream: true tolerates a character cut at the end of the sample.
    return new TextDecoder(encoding, { fatal: true }).decode(sample, { stream: sample.length === SAMPLE_BYTES });
  } catch {
    return null;
  }
}

/** Text with NULs or many control characters (other than tab, newline, form feed, carriage return) is binary. */
export function looksLikeText(text: string): boolean {
  if (text.length === 0) return true;
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f || c === 0xfffd) control++;
  }
  return control / text.length < 0.01;
}

/** The encoding of a text file and a decoded sample of its start, or null when the bytes are not text. */
export function recogniseText(bytes: Uint8Array): { encoding: TextEncoding; sample: string } | null {
  const bom = bomEncoding(bytes);
  const candidates: TextEncoding[] = bom ? [bom.encoding] : ['utf-8', 'gb18030'];
  const sample = bytes.subarray(bom?.bomLength ?? 0, (bom?.bomLength ?? 0) + SAMPLE_BYTES);
  for (const encoding of candidates) {
    const text = decodesStrictly(encoding, sample);
    if (text !== null && looksLikeText(text)) return { encoding, sample: text };
  }
  return null;
}

/** Decodes the whole file (BOM removed); bytes that do not decode become U+FFFD rather than failing the file. */
export function decodeText(bytes: Uint8Array, encoding: TextEncoding): string {
  const bom = bomEncoding(bytes);
  const body = bom && bom.encoding === encoding ? bytes.subarray(bom.bomLength) : bytes;
  return new TextDecoder(encoding, { ignoreBOM: true }).decode(body);
}
