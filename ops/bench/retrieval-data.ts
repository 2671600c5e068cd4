/**
 * The retrieval data sets of ops/testing/data as knowledge-base documents and questions: each SQuAD article is one
 * document, every 10 CMRC paragraphs are one document; chunked by the product's chunker (structure-aware,
 * ~250 words / ~400 Chinese characters with overlap). A question is answered (loosely) by a chunk that contains one
 * of its answer texts, strictly by one that holds an answer's source sentence (retrieval-sentences.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chunkDocument } from '../../command-side/ingestion/chunking/index.ts';
import type { Block, ParsedDocument } from '../../command-side/ingestion/parsing/types.ts';
import { DATA_SETS_DIR } from '../testing/fixture-files.ts';
import { normalizeSpace, sentenceBounds, sourceSentence } from './retrieval-sentences.ts';

export const DATA_DIR = DATA_SETS_DIR;

/** SQuAD: one document per article. CMRC (one paragraph per article): every 10 paragraphs in file order. */
export const DATA_SETS = {
  squad: { file: 'squad-v1.1-dev.json', paragraphsPerDocument: undefined },
  cmrc: { file: 'cmrc2018-trial.json', paragraphsPerDocument: 10 },
} as const;
const LOCALES = { squad: 'en', cmrc: 'zh' } as const;
export type DataSetName = keyof typeof DATA_SETS;

interface SquadFile {
  data: Array<{
    title?: string;
    paragraphs: Array<{
      context: string;
      qas: Array<{ question: string; answers: Array<{ text: string; answer_start: number }> }>;
    }>;
  }>;
}

export interface BenchDocument {
  documentId: string;
  name: string;
  /** The source paragraphs (what an uploaded file holds, one per blank-line-separated block). */
  paragraphs: string[];
  /** The product chunker's chunks of those paragraphs. */
  chunks: string[];
}

export interface BenchQuestion {
  question: string;
  answers: string[];
  /** The context's sentence(s) around each answer at its answer_start, whitespace-normalised (a strict hit holds one). */
  sources: string[];
}

export interface BenchCorpus {
  name: DataSetName;
  documents: BenchDocument[];
  questions: BenchQuestion[];
}

/** `maxDocuments` takes a slice (the regression test); the questions are those of the documents taken. */
export async function loadCorpus(name: DataSetName, maxDocuments = Number.POSITIVE_INFINITY): Promise<BenchCorpus> {
  const { file, paragraphsPerDocument } = DATA_SETS[name];
  const data = JSON.parse(await readFile(path.join(DATA_DIR, file), 'utf8')) as SquadFile;
  type Paragraph = SquadFile['data'][number]['paragraphs'][number];
  let groups: Array<{ title: string; paragraphs: Paragraph[] }>;
  if (paragraphsPerDocument === undefined) {
    groups = data.data.map((article) => ({ title: article.title ?? name, paragraphs: article.paragraphs }));
  } else {
    const all = data.data.flatMap((article) => article.paragraphs.map((paragraph) => ({ article, paragraph })));
    groups = [];
    for (let start = 0; start < all.length; start += paragraphsPerDocument) {
      const slice = all.slice(start, start + paragraphsPerDocument);
      groups.push({ title: slice[0]!.article.title ?? name, paragraphs: slice.map((entry) => entry.paragraph) });
    }
  }

  const documents: BenchDocument[] = [];
  const questions: BenchQuestion[] = [];
  for (const [index, group] of groups.slice(0, maxDocuments).entries()) {
    const blocks: Block[] = group.paragraphs.map((paragraph) => ({ kind: 'paragraph', text: paragraph.context }));
    const parsed: ParsedDocument = {
      mediaType: 'text/plain',
      blocks,
      charCount: blocks.reduce((sum, block) => sum + block.text.length, 0),
    };
    documents.push({
      documentId: `${name}-${index}`,
      name: `${group.title}.txt`,
      paragraphs: blocks.map((block) => block.text),
      chunks: chunkDocument(parsed).map((chunk) => chunk.text),
    });
    for (const { context, qas } of group.paragraphs) {
      const bounds = sentenceBounds(context, LOCALES[name]);
      for (const qa of qas) {
        const sources = qa.answers.map((answer) => sourceSentence(context, bounds, answer.text, answer.answer_start));
        questions.push({
          question: qa.question,
          answers: [...new Set(qa.answers.map((answer) => answer.text))],
          sources: [...new Set(sources.filter((source) => source !== undefined).map(normalizeSpace))],
        });
      }
    }
  }
  return { name, documents, questions };
}
