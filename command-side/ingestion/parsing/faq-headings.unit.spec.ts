/**
 * Headings are what search and chunk paths are built on: an FAQ must come out as its title, each question a level-2
 * heading, and each answer a paragraph, whichever format and language it was written in.
 */
import { describe, expect, it } from 'vitest';
import { parseInProcess } from './parse-in-process.ts';
import { TEST_LIMITS } from './testing/fixtures.ts';
import { DOCX_STYLES, FAQ_EN, FAQ_ZH, faqBlocks, faqDocx, faqHtml, faqMarkdown, type Faq } from './testing/faq-document.ts';
import type { MediaType } from './types.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const parseText = (text: string, mediaType: MediaType) =>
  parseInProcess(new TextEncoder().encode(text), { mediaType, encoding: 'utf-8', limits: TEST_LIMITS });

describe.each([
  ['English', FAQ_EN],
  ['Chinese', FAQ_ZH],
])('an FAQ in %s', (_language, faq: Faq) => {
  it.each(Object.entries(faqMarkdown))('Markdown (%s) gives the title, 8 question headings and their answers', async (_shape, write) => {
    expect((await parseText(write(faq), 'text/markdown')).blocks).toEqual(faqBlocks(faq));
  });

  it.each(Object.entries(faqHtml))('HTML (%s) gives the title, 8 question headings and their answers', async (_shape, write) => {
    expect((await parseText(write(faq), 'text/html')).blocks).toEqual(faqBlocks(faq));
  });

  it.each(Object.entries(DOCX_STYLES))('DOCX (%s heading styles) gives the title, 8 question headings and their answers', async (_styles, styles) => {
    const parsed = await parseInProcess(faqDocx(faq, styles), { mediaType: DOCX, limits: TEST_LIMITS });
    expect(parsed.blocks).toEqual(faqBlocks(faq));
  });
});
