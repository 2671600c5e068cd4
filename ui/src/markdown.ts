/**
 * Answers as HTML, safely: the model's text is untrusted (it may repeat a document that holds markup or links), so
 * markdown-it runs with raw HTML off and its default validateLink (no javascript:, vbscript:, file:, and data:
 * only for images); links open in a new tab without handing over the page (noopener) or our referrer.
 * Citation markers (`[1]`, `[1, 2]`, `[1][2]`) become buttons for the numbers the turn really cites; this renderer
 * is the only source of HTML the chat puts into the page.
 */
import MarkdownIt from 'markdown-it';
import type { StateCore, Token } from 'markdown-it';

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

/**
 * The answer's HTML cut into its top-level blocks (paragraphs, lists, code…), concatenated they are renderAnswer.
 * While an answer streams only its last block changes: the page replaces that one, and the browser lays out that
 * one, instead of the whole answer every frame.
 */
export function renderAnswerBlocks(text: string, options: AnswerRenderOptions): string[] {
  const env = { ...options };
  const tokens = md.parse(text, env);
  const blocks: string[] = [];
  let start = 0;
  tokens.forEach((token, index) => {
    if (token.level === 0 && token.nesting <= 0) {
      blocks.push(md.renderer.render(tokens.slice(start, index + 1), md.options, env));
      start = index + 1;
    }
  });
  return blocks;
}

export function renderAnswer(text: string, options: AnswerRenderOptions): string {
  return renderAnswerBlocks(text, options).join('');
}
