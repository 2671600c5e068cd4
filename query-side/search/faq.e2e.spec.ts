/**
 * Headings are searchable, through the whole app: FAQs whose questions are headings (Markdown, HTML, DOCX; English
 * and Chinese) are uploaded, parsed, chunked and indexed by the real pipeline, then every question, asked in its
 * heading's words over GraphQL, must find the chunk holding its answer in the top 3, and the hit shows the heading
 * path. A manual's section is found by its heading's words alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDocx } from '../../command-side/ingestion/parsing/testing/zip-builder.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { register, type Session } from '../resolvers/identity.testing.ts';
import { createKnowledgeBase, upload, waitForStatus } from '../upload/upload.testing.ts';
import { CHINESE_FAQ, ENGLISH_FAQ, PUMP_MANUAL, faqDocxParts, faqHtml, faqMarkdown, type Faq } from './faq.testing.ts';

const SEARCH = `query($kb: ID!, $q: String!, $limit: Int) {
  search(knowledgeBaseId: $kb, query: $q, limit: $limit) { chunkId documentName headingPath text score } }`;

interface Hit {
  chunkId: string;
  documentName: string;
  headingPath: string[];
  text: string;
  score: number;
}

const encode = (text: string) => new TextEncoder().encode(text);

const LANGUAGES = { english: { faq: ENGLISH_FAQ, lang: 'en' }, chinese: { faq: CHINESE_FAQ, lang: 'zh' } } as const;
type Language = keyof typeof LANGUAGES;

const FORMATS = {
  markdown: { file: (lang: string) => `faq-${lang}.md`, bytes: (faq: Faq) => encode(faqMarkdown(faq)) },
  html: { file: (lang: string) => `faq-${lang}.html`, bytes: (faq: Faq, lang: string) => encode(faqHtml(faq, lang)) },
  docx: {
    file: (lang: string) => `faq-${lang}.docx`,
    bytes: (faq: Faq, lang: string) => {
      // Chinese Word gives the heading styles the ids "1" and "2" (named "heading 1", "heading 2" all the same).
      const ids = lang === 'zh' ? { h1: '1', h2: '2' } : { h1: 'Heading1', h2: 'Heading2' };
      const { document, styles } = faqDocxParts(faq, ids);
      return buildDocx({ data: document }, [{ name: 'word/styles.xml', data: styles }]);
    },
  },
} as const;
type Format = keyof typeof FORMATS;

describe('headings are searchable', () => {
  let app: TestApp;
  let alice: Session;
  const bases = {} as Record<Format, string>;
  let manuals: string;

  const search = async (kb: string, q: string, limit: number): Promise<Hit[]> => {
    const result = await app.gql<{ search: Hit[] }>(SEARCH, { kb, q, limit }, alice.accessToken);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!.search;
  };

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', PARSE_MEMORY_MB: '256' } });
    alice = await register(app, 'alice@example.com');
    const uploads: string[] = [];
    const add = async (kb: string, name: string, bytes: Uint8Array) => {
      const { status, body } = await upload(app, kb, { name, bytes }, { token: alice.accessToken });
      expect(status, JSON.stringify(body)).toBe(201);
      uploads.push(body.id!);
    };
    for (const format of Object.keys(FORMATS) as Format[]) {
      bases[format] = await createKnowledgeBase(app, alice, `FAQ ${format}`);
      // Both languages in one base: a Chinese question must not be drawn to the English FAQ's chunks, nor the reverse.
      for (const { faq, lang } of Object.values(LANGUAGES)) {
        await add(bases[format], FORMATS[format].file(lang), FORMATS[format].bytes(faq, lang));
      }
    }
    manuals = await createKnowledgeBase(app, alice, 'Plant manuals');
    await add(manuals, 'plant.md', encode(PUMP_MANUAL));
    // App start, argon2 and seven documents through the pipeline: generous on a shared two-core machine.
    for (const id of uploads) {
      const document = await waitForStatus(app, alice.accessToken, id, ['indexed', 'failed'], 150_000);
      expect(document.error, document.name).toBeNull();
    }
  }, 240_000);

  afterAll(async () => {
    await app?.close();
  });

  const cases = (Object.keys(FORMATS) as Format[]).flatMap((format) =>
    (Object.keys(LANGUAGES) as Language[]).map((language) => [format, language] as const),
  );

  it.each(cases)('%s, %s: every question finds the chunk holding its answer in the top 3', async (format, language) => {
    const { faq } = LANGUAGES[language];
    const misses: string[] = [];
    for (const { question, answer } of faq.entries) {
      const hits = await search(bases[format], question, 3);
      const at = hits.findIndex((hit) => answer.every((paragraph) => hit.text.includes(paragraph)));
      if (at < 0) {
        misses.push(`"${question}" got ${JSON.stringify(hits.map((hit) => hit.headingPath.at(-1) ?? hit.text.slice(0, 40)))}`);
        continue;
      }
      expect(hits[at]!.headingPath).toEqual([faq.title, question]);
      expect(hits[at]!.documentName).toBe(FORMATS[format].file(LANGUAGES[language].lang));
    }
    expect(misses, `${misses.length} of ${faq.entries.length} questions missed`).toEqual([]);
  });

  it('finds a manual section by its heading alone ("pump maintenance")', async () => {
    const [best] = await search(manuals, 'pump maintenance', 3);
    expect(best).toMatchObject({ headingPath: ['Pump maintenance'], documentName: 'plant.md' });
    expect(best!.text).toContain('inspect the impeller');
    expect(best!.text).not.toMatch(/pump|maintenance/i);
  });
});
