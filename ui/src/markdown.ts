/**
 * Answers as HTML, safely: the model's text is untrusted (it may repeat a document that holds markup or links), so
 * markdown-it runs with raw HTML off and its default validateLink (no javascript:, vbscript:, file:, and data:
 * only for images); links open in a new tab without handing over the page (noopener) or our referrer.
 * Citation markers (`[1]`, `[1, 2]`, `[1][2]`) become buttons for the numbers the turn really cites; this renderer
 * is the only source of HTML the chat puts into the page.
 */
import MarkdownIt from 'markdown-it';
import type { Env, StateCore, Token } from 'markdown-it';

export interface AnswerRenderOptions {
  /** The cited passage numbers once known; undefined while the answer streams (markers then show, inert). */
  citations?: ReadonlySet<number>;
  /** The accessible name of a citation button. */
  citationLabel: (n: number) => string;
}

// The same syntax the server parses (Chinese commas too).
const CITATION_GROUP = /\[(\d+(?:\s*[,，、]\s*\d+)*)\]/g;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  const token = tokens[index]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer nofollow');
  return self.renderToken(tokens, index, options);
};

md.renderer.rules.citation = (tokens, index, _options, env) => {
  const n = Number(tokens[index]!.content);
  const { citations, citationLabel } = env as unknown as AnswerRenderOptions;
  const label = md.utils.escapeHtml(citationLabel(n));
  return citations
    ? `<button type="button" class="citation-marker" data-testid="citation" data-citation="${n}" aria-label="${label}">${n}</button>`
    : `<span class="citation-marker pending" aria-label="${label}">${n}</span>`;
};

/** The pieces of a text token: plain text and citation numbers. A group with a number not cited stays text. */
function splitCitations(text: string, citations: ReadonlySet<number> | undefined): Array<string | number> {
  const parts: Array<string | number> = [];
  let from = 0;
  for (const match of text.matchAll(CITATION_GROUP)) {
    const numbers = match[1]!.split(/[,，、]/).map((part) => Number(part.trim()));
    if (citations && !numbers.every((n) => citations.has(n))) continue;
    if (match.index > from) parts.push(text.slice(from, match.index));
    parts.push(...numbers);
    from = match.index + match[0].length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

function citationTokens(state: StateCore): void {
  const { citations } = state.env as unknown as AnswerRenderOptions;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const children: Token[] = [];
    let insideLink = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') insideLink++;
      if (token.type === 'link_close') insideLink--;
      // No button inside a link (nested interactive content); code spans are tokens of their own, never text.
      if (token.type !== 'text' || insideLink > 0 || !token.content.includes('[')) {
        children.push(token);
        continue;
      }
      // Its HTML depends on the options (a marker is a button, a pending marker or text): see createAnswerRenderer.
      if (token.content.search(CITATION_GROUP) >= 0) block.meta = { citationMarkers: true };
      for (const part of splitCitations(token.content, citations)) {
        const piece = new state.Token(typeof part === 'number' ? 'citation' : 'text', '', 0);
        piece.content = String(part);
        children.push(piece);
      }
    }
    block.children = children;
  }
}

md.core.ruler.after('text_join', 'citations', citationTokens);

interface ParsedBlocks {
  /** The HTML of each top-level block (paragraph, list, code…). */
  html: string[];
  /** The line of the source each block starts on (-1 if markdown-it did not say). */
  startLines: number[];
  /** Whether each block has citation markers: the only HTML the options change. */
  cites: boolean[];
  /** Reference definitions (`[x]: url`) were found: they change links in blocks anywhere before them. */
  hasReferences: boolean;
}

function parseBlocks(source: string, options: AnswerRenderOptions): ParsedBlocks {
  const env: AnswerRenderOptions & Env = { ...options };
  const tokens = md.parse(source, env);
  const parsed: ParsedBlocks = { html: [], startLines: [], cites: [], hasReferences: false };
  let start = 0;
  tokens.forEach((token, index) => {
    if (token.level === 0 && token.nesting <= 0) {
      const block = tokens.slice(start, index + 1);
      parsed.html.push(md.renderer.render(block, md.options, env));
      parsed.startLines.push(tokens[start]!.map?.[0] ?? -1);
      parsed.cites.push(block.some((t) => (t.meta as { citationMarkers?: boolean } | null)?.citationMarkers));
      start = index + 1;
    }
  });
  parsed.hasReferences = Object.keys(env.references ?? {}).length > 0;
  return parsed;
}

/**
 * The answer's HTML cut into its top-level blocks (paragraphs, lists, code…), concatenated they are renderAnswer.
 * While an answer streams only its last blocks change: the page replaces those, and the browser lays out those,
 * instead of the whole answer every frame.
 */
export function renderAnswerBlocks(text: string, options: AnswerRenderOptions): string[] {
  return parseBlocks(text, options).html;
}

export function renderAnswer(text: string, options: AnswerRenderOptions): string {
  return renderAnswerBlocks(text, options).join('');
}

/** Blocks at the end that text still to come may change, so they are parsed again each time. */
const UNSETTLED_BLOCKS = 2;

/** Where line `line` of `source` starts. */
function offsetOfLine(source: string, line: number): number {
  let offset = 0;
  for (let i = 0; i < line; i++) offset = source.indexOf('\n', offset) + 1;
  return offset;
}

/**
 * renderAnswerBlocks for the successive texts of one streaming answer, each the one before with more appended: the
 * same blocks, without parsing the whole answer again every frame (a 3,000-token answer is ~250 blocks).
 *
 * Markdown decides a block's end from the lines up to the start of the next block (and one line after it, for a
 * table's delimiter row), all of them complete lines once a block follows: so every block but the last two is final
 * whatever comes next. The last line may still grow ("-" into "---" makes the paragraph above a heading, a list
 * goes on, a fence is still open), so the last two blocks are parsed again, from the line the first of them starts
 * on, which is where a parse of the whole text would begin a block too. Reference definitions are the exception:
 * one changes links in blocks before it, so while the text has any, the whole text is parsed. A text that is not
 * the previous one continued starts over, and so do other options (the citations once known, the language) when
 * a settled block has citation markers, the only HTML the options change.
 */
export function createAnswerRenderer(): (text: string, options: AnswerRenderOptions) => string[] {
  let last:
    | { source: string; options: AnswerRenderOptions; blocks: string[]; settled: string[]; settledEnd: number; settledCite: boolean }
    | undefined;
  return (text, options) => {
    // markdown-it reads \r\n and \r as \n: so do the line counts here. Normalised texts stay prefixes of each other.
    const source = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
    if (last && last.source === source && last.options === options) return last.blocks;
    const optionsApply = last && (last.options === options || !last.settledCite);
    const continued = last && optionsApply && source.startsWith(last.source) ? last : undefined;
    let settled = continued?.settled ?? [];
    let from = continued?.settledEnd ?? 0;
    let settledCite = continued?.settledCite ?? false;
    let tail = source.slice(from);
    let parsed = parseBlocks(tail, options);
    if (parsed.hasReferences && from > 0) {
      [settled, from, tail, settledCite] = [[], 0, source, false];
      parsed = parseBlocks(source, options);
    }
    const blocks = settled.concat(parsed.html);
    const settling = parsed.html.length - UNSETTLED_BLOCKS;
    const settleLine = parsed.startLines[settling] ?? -1;
    if (!parsed.hasReferences && settling > 0 && settleLine > 0) {
      settled = settled.concat(parsed.html.slice(0, settling));
      settledCite ||= parsed.cites.slice(0, settling).includes(true);
      from += offsetOfLine(tail, settleLine);
    }
    last = { source, options, blocks, settled, settledEnd: from, settledCite };
    return blocks;
  };
}
