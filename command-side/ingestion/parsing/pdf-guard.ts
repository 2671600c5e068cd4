/**
 * Finds PDF flate bombs before pdf.js does. pdf.js inflates a content stream while lexing it, so a 1 MB bomb keeps
 * it busy for tens of seconds on its way to gigabytes; zlib inflating the same stream with an output cap finds it
 * in well under a second. Each FlateDecode stream may expand to a quarter of the memory cap (pdf.js keeps the
 * decoded stream and grows its buffer by doubling).
 */
import { constants, inflateSync } from 'node:zlib';
import { ParseFailure } from './types.ts';

const STREAM_KEYWORD = /(?<!end)stream(?:\r\n|\n|\r)/g;
const DICTIONARY_WINDOW = 2048;

const tooLarge = (error: unknown) =>
  error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';

export function checkPdfStreams(bytes: Uint8Array, memoryMb: number): void {
  const maxStreamBytes = Math.floor((memoryMb * 1024 * 1024) / 4);
  // windows-1252 maps every byte to one UTF-16 unit, so string offsets are byte offsets.
  const text = new TextDecoder('latin1').decode(bytes);
  for (const match of text.matchAll(STREAM_KEYWORD)) {
    const before = text.slice(Math.max(0, match.index - DICTIONARY_WINDOW), match.index);
    const dictionary = before.slice(before.lastIndexOf(' obj') + 1);
    if (!/\/(?:FlateDecode|Fl)\b/.test(dictionary)) continue;
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    try {
      inflateSync(bytes.subarray(start, end < 0 ? bytes.length : end), {
        maxOutputLength: maxStreamBytes,
        finishFlush: constants.Z_SYNC_FLUSH,
      });
    } catch (error) {
      // Other inflate errors are pdf.js's to judge: it recovers from many broken streams.
      if (tooLarge(error)) throw new ParseFailure('parsing needed too much memory', { cause: error });
    }
  }
}
