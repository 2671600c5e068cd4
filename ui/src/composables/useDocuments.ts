/**
 * The documents of one knowledge base, kept live: the list as queried, with every documentStatus event (and every
 * reindex/delete answer, and the document an added pair became) laid over it, so new documents appear and statuses move without a reload. Also the
 * words for a failure: the server writes its reasons for a person, in English; the known ones are translated.
 */
import { useQuery, useSubscription } from '@urql/vue';
import { computed, reactive, watch } from 'vue';
import { MAX_QA_ANSWER_CHARS, MAX_QA_QUESTION_CHARS } from '../curation-limits';
import { graphql } from '../graphql/generated';
import type { KbDocumentFieldsFragment as KbDocumentFields } from '../graphql/generated/graphql';
import { useAppContext } from './app-context';
import { detailedError, type DetailedError } from './useKnowledgeBases';

/** The fields every operation below asks for, so a live update replaces a listed row whole. */
export const KbDocumentFieldsFragment = graphql(`
  fragment KbDocumentFields on Document {
    id
    knowledgeBaseId
    name
    mediaType
    sizeBytes
    status
    error
    chunkCount
    embeddedCount
    revision
    updatedAt
  }
`);

export const KbDocumentsQuery = graphql(`
  query KbDocuments($knowledgeBaseId: ID!) {
    documents(knowledgeBaseId: $knowledgeBaseId) {
      ...KbDocumentFields
    }
  }
`);

export const KbDocumentStatusSubscription = graphql(`
  subscription KbDocumentStatus($knowledgeBaseId: ID!) {
    documentStatus(knowledgeBaseId: $knowledgeBaseId) {
      ...KbDocumentFields
    }
  }
`);

export const KbReindexDocumentMutation = graphql(`
  mutation KbReindexDocument($id: ID!) {
    reindexDocument(id: $id) {
      ...KbDocumentFields
    }
  }
`);

export const KbDeleteDocumentMutation = graphql(`
  mutation KbDeleteDocument($id: ID!) {
    deleteDocument(id: $id) {
      ...KbDocumentFields
    }
  }
`);

/** Answers the pair's first chunk once it is indexed and searchable. */
export const KbAddQaPairMutation = graphql(`
  mutation KbAddQaPair($knowledgeBaseId: ID!, $question: String!, $answer: String!) {
    addQaPair(knowledgeBaseId: $knowledgeBaseId, question: $question, answer: $answer) {
      id
      documentId
    }
  }
`);

export const KbDocumentQuery = graphql(`
  query KbDocument($id: ID!) {
    document(id: $id) {
      ...KbDocumentFields
    }
  }
`);

export type KbDocument = KbDocumentFields;

/** What keeps a question-and-answer pair from being added (the kb.qa message key), checked before the server. */
export function qaPairProblem(question: string, answer: string): 'questionRequired' | 'answerRequired' | 'tooLong' | undefined {
  if (!question.trim()) return 'questionRequired';
  if (!answer.trim()) return 'answerRequired';
  if (question.trim().length > MAX_QA_QUESTION_CHARS || answer.trim().length > MAX_QA_ANSWER_CHARS) return 'tooLong';
  return undefined;
}

/** Whether `a` is an older state of the document than `b`: an earlier revision, or an earlier change of the same one. */
const isOlder = (a: KbDocument, b: KbDocument) => a.revision < b.revision || (a.revision === b.revision && a.updatedAt < b.updatedAt);

/** The listed documents with the live states laid over: the newer state wins, new ones come last, deleted ones go. */
export function mergeDocuments(listed: readonly KbDocument[], live: ReadonlyMap<string, KbDocument>): KbDocument[] {
  const merged = listed.map((document) => {
    const update = live.get(document.id);
    return update && !isOlder(update, document) ? update : document;
  });
  const listedIds = new Set(listed.map((document) => document.id));
  for (const [id, document] of live) if (!listedIds.has(id)) merged.push(document);
  return merged.filter((document) => document.status !== 'deleted');
}

/** Progress of the processing as value/max for a <progress>; no value while the total is not known yet. */
export function documentProgress(document: Pick<KbDocument, 'status' | 'chunkCount' | 'embeddedCount'>): { value?: number; max: number } {
  if (document.status === 'indexed') return { value: 1, max: 1 };
  if (document.chunkCount > 0) return { value: Math.min(document.embeddedCount, document.chunkCount), max: document.chunkCount };
  return { max: 1 };
}

const EXACT_REASONS: Record<string, string> = {
  'file is empty': 'fileEmpty',
  'file is corrupt': 'fileCorrupt',
  'PDF is encrypted': 'pdfEncrypted',
  'no text layer: scanned PDF': 'scannedPdf',
  'DOCX zip entry too large': 'docxTooLarge',
  'DOCX contains XML entity declarations': 'docxEntities',
  'too many pages': 'tooManyPages',
  'text exceeds the character limit': 'tooMuchText',
  'parsing took too long': 'parseTimeout',
  'parsing needed too much memory': 'parseMemory',
  'unsupported file type': 'unsupportedType',
  'parser stopped unexpectedly': 'parserCrashed',
  'splitting the text into chunks took too long': 'chunkTimeout',
  'the text could not be split into chunks': 'chunkFailed',
  'the document contains no text to index': 'noText',
  'the uploaded file is missing from storage': 'fileMissing',
  'every chunk is embedded but the document was not indexed': 'notIndexed',
};

const PATTERN_REASONS: Array<[RegExp, string, (match: RegExpMatchArray) => Record<string, string>]> = [
  [/^parsing stopped the worker (\d+) times/, 'malformed', (m) => ({ count: m[1]! })],
  [/^file could not be read: (.*)$/s, 'unreadable', (m) => ({ detail: m[1]! })],
  [/^the embedding model (\S+) failed: (.*)$/s, 'embeddingFailed', (m) => ({ model: m[1]!, detail: m[2]! })],
  [/^processing stopped: (.*)$/s, 'processingStopped', (m) => ({ detail: m[1]! })],
];

/** Every message key failureReason may answer (each must be in kb.failure). */
export const FAILURE_REASON_KEYS: readonly string[] = [...Object.values(EXACT_REASONS), ...PATTERN_REASONS.map(([, key]) => key)];

/** The message key (under kb.failure) and its parameters for a reason we know, else undefined (show it as it is). */
export function failureReason(reason: string): { key: string; params: Record<string, string> } | undefined {
  const exact = EXACT_REASONS[reason];
  if (exact) return { key: exact, params: {} };
  for (const [pattern, key, params] of PATTERN_REASONS) {
    const match = reason.match(pattern);
    if (match) return { key, params: params(match) };
  }
  return undefined;
}

export function useDocuments(knowledgeBaseId: () => string) {
  const { api } = useAppContext();
  const live = reactive(new Map<string, KbDocument>());
  const variables = () => ({ knowledgeBaseId: knowledgeBaseId() });
  const list = useQuery({ query: KbDocumentsQuery, variables, requestPolicy: 'cache-and-network' });

  function note(document: KbDocument): void {
    const known = live.get(document.id);
    if (document.knowledgeBaseId === knowledgeBaseId() && (!known || !isOlder(document, known))) live.set(document.id, document);
  }

  useSubscription({ query: KbDocumentStatusSubscription, variables }, (_previous, data) => {
    note(data.documentStatus);
    return data;
  });

  const reload = () => list.executeQuery({ requestPolicy: 'network-only' });
  watch(knowledgeBaseId, () => live.clear());
  // Events sent while the socket was down are lost: read the list again once the server is back.
  watch(
    () => api.connection.reachable,
    (reachable, before) => reachable && !before && void reload(),
  );

  async function change(mutation: 'reindex' | 'delete', id: string): Promise<DetailedError | undefined> {
    const result =
      mutation === 'reindex'
        ? await api.urql.mutation(KbReindexDocumentMutation, { id }).toPromise()
        : await api.urql.mutation(KbDeleteDocumentMutation, { id }).toPromise();
    const document = result.data && ('reindexDocument' in result.data ? result.data.reindexDocument : result.data.deleteDocument);
    if (!document) return detailedError(result.error) ?? { code: 'INTERNAL', message: 'no answer' };
    note(document);
    return undefined;
  }

  return {
    documents: computed(() => mergeDocuments(list.data.value?.documents ?? [], live)),
    loading: computed(() => list.fetching.value && !list.data.value),
    error: computed(() => detailedError(list.error.value)),
    reload,
    reindex: (id: string) => change('reindex', id),
    remove: (id: string) => change('delete', id),
    /**
     * Adds the pair as a document of its own; the server answers once it is indexed and searchable (its first
     * chunk), and the document it became is then read and listed at once.
     */
    async addQaPair(question: string, answer: string): Promise<{ document: KbDocument } | { error: DetailedError }> {
      const added = await api.urql
        .mutation(KbAddQaPairMutation, { knowledgeBaseId: knowledgeBaseId(), question: question.trim(), answer: answer.trim() })
        .toPromise();
      const documentId = added.data?.addQaPair.documentId;
      if (!documentId) return { error: detailedError(added.error) ?? { code: 'INTERNAL', message: 'no answer' } };
      const read = await api.urql.query(KbDocumentQuery, { id: documentId }, { requestPolicy: 'network-only' }).toPromise();
      const document = read.data?.document;
      if (!document) return { error: detailedError(read.error) ?? { code: 'NOT_FOUND', message: 'the added pair is not listed' } };
      note(document);
      return { document };
    },
  };
}
