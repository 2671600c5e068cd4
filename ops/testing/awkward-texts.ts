/**
 * Valid but awkward documents, each at the size that once froze the API while it was ingested: one giant token,
 * one giant line, millions of tiny lines, only punctuation, only Chinese without sentence ends, deep nesting and
 * 100,000 identical paragraphs. Deterministic (a seeded generator), so every run ingests the same bytes.
 */

/**
 * Longest an awkward text may take from upload to indexed or failed, on this kind of machine: the parse sandbox gives
 * up after PARSE_TIMEOUT_MS (60 s), and the largest of them has ~8,000 chunks to embed and index.
 */
export const AWKWARD_END_WITHIN_MS = 90_000;

export interface AwkwardText {
  shape: string;
  /** File name; its extension and bytes decide the media type at upload. */
  name: string;
  bytes: Uint8Array;
}

/** Mulberry32: a small seeded generator, so the texts are the same in every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function letters(count: number, alphabet: string, seed: number): string {
  const next = random(seed);
  const chars = Array.from(alphabet);
  let out = '';
  for (let i = 0; i < count; i++) out += chars[Math.floor(next() * chars.length)];
  return out;
}

function words(count: number, seed: number): string {
  const next = random(seed);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(letters(2 + Math.floor(next() * 8), 'abcdefghijklmnopqrstuvwxyz', seed + i));
  return parts.join(' ');
}

/** The 3,000 most common-looking Han characters of the basic block, enough for many distinct bigrams. */
const HAN = Array.from({ length: 3000 }, (_, i) => String.fromCodePoint(0x4e00 + i * 7)).join('');

const encode = (text: string) => new TextEncoder().encode(text);

/** Sizes are in characters; `scale` shrinks every text for quicker runs (1 = the full, published size). */
export function awkwardTexts(scale = 1): AwkwardText[] {
  const n = (count: number) => Math.max(1, Math.round(count * scale));
  return [
    { shape: 'one giant token (3 MB word)', name: 'giant-token.txt', bytes: encode(letters(n(3_000_000), 'abcdefghijklmnopqrstuvwxyz', 1)) },
    { shape: 'one giant line (4 MB)', name: 'giant-line.txt', bytes: encode(words(n(620_000), 2)) },
    { shape: 'millions of tiny lines', name: 'tiny-lines.txt', bytes: encode('a\n'.repeat(n(2_000_000))) },
    { shape: 'only punctuation (2 MB)', name: 'punctuation.txt', bytes: encode(letters(n(2_000_000), '.,;:!?-—()[]"\'/', 3)) },
    { shape: 'only Chinese, no sentence ends (2.6 MB)', name: 'chinese.txt', bytes: encode(letters(n(866_000), HAN, 4)) },
    {
      shape: 'deep nesting (100,000 levels of HTML)',
      name: 'nested.html',
      bytes: encode(`<!DOCTYPE html><html><body>${'<div>word '.repeat(n(100_000))}${'</div>'.repeat(n(100_000))}</body></html>`),
    },
    {
      shape: 'deep nesting (100,000 levels of Markdown quotes, 1,000 of lists)',
      name: 'nested.md',
      bytes: encode(
        `${'> '.repeat(n(100_000))}deep quote\n\n` +
          Array.from({ length: n(1_000) }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n'),
      ),
    },
    { shape: '100,000 identical paragraphs', name: 'identical.md', bytes: encode('The same paragraph says the same thing.\n\n'.repeat(n(100_000))) },
  ];
}
