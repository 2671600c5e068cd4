/**
 * Personal data in the log and its erasure by crypto-shredding (docs/ARCHITECTURE.md, "Personal data and erasure").
 *
 * An append-only log cannot forget, so the personal fields of an event are written sealed (encrypted) under a key
 * of their subject, and the keys live outside the log. Erasing a subject destroys its key: what was sealed under it
 * can never be read again, by anyone, while the rest of the event (ids, amounts, revisions) stays as it was.
 *
 * This file says which fields are personal and whose they are; command-side/personal-data seals and opens them
 * (AES-256-GCM) where events enter and leave the store, so deciders, projectors, the audit trail and replays see
 * the whole data, or ERASED placeholders once the subject's key is gone.
 *
 * Subjects:
 * - a user: email and display name in UserRegistered, the address in EmailReserved, and their conversations: the
 *   question of TurnStarted, the title of ConversationStarted, the answer of AnswerCompleted and AnswerStopped
 *   (schema 2 on, which names the asker; answer-asker.ts), the comment of TurnRated;
 * - one revision of a document: its chunks' texts and heading paths in DocumentChunked, a curator's text in
 *   ChunkEdited, in the RetrievalCompleted of every turn that retrieved them, and the excerpts an answer's citations
 *   quote.
 * A document's name, sizes and hashes, a user's id and role, token counts and every wallet amount are not sealed:
 * the ledger must still add up after an erasure.
 */
import { revisionOfChunk } from './documents.ts';
import type { JsonObject } from './eventstore.ts';

/** What an erased text reads as, in events, read models and the audit trail. */
export const ERASED = '[erased]';

/**
 * What a sealed text reads as to whoever reads the stored log without the keys (a copy of it, a tool that opens the
 * store directly): the event keeps its shape, so such a reader still parses it.
 */
export const SEALED = '[sealed]';

/** The subject of a user's personal data (one key per user). */
export const userDataSubject = (userId: string): string => `user:${userId}`;

/**
 * The subject of one revision of a document's text: a document deleted and uploaded again (same bytes, same id) is
 * a new revision under a new key, so its new text is readable while the deleted one stays erased.
 */
export const documentTextSubject = (documentId: string, revision: number): string => `document:${documentId}:${revision}`;

/** One personal part of an event: whose it is and the JSON value sealed under that subject's key. */
export interface PersonalPart {
  subject: string;
  personal: unknown;
}

/** How one event type carries personal data: which parts, whose, and how they are taken out and put back. */
export interface PersonalDataRule {
  /**
   * The personal parts (subjects from fields that stay in clear) and the rest of the data, which stays in clear with
   * SEALED in place of each personal text.
   */
  split(data: JsonObject): { clear: JsonObject; parts: PersonalPart[] };
  /** The whole data from its clear rest and the parts that could be opened; a subject missing is erased. */
  join(clear: JsonObject, opened: ReadonlyMap<string, unknown>): JsonObject;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : ERASED);
const record = (value: unknown): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
const list = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.map(record) : []);
const headings = (value: unknown): string[] => (Array.isArray(value) ? value.map(text) : []);

/** email and displayName of a user. */
const userRegistered: PersonalDataRule = {
  split({ email, displayName, ...rest }) {
    const clear = { ...rest, email: SEALED, displayName: SEALED };
    return { clear, parts: [{ subject: userDataSubject(String(rest.userId)), personal: { email, displayName } }] };
  },
  join(clear, opened) {
    const subject = userDataSubject(String(clear.userId));
    if (!opened.has(subject)) return { ...clear, email: ERASED, displayName: ERASED };
    const { email, displayName } = record(opened.get(subject));
    return { ...clear, email: text(email), displayName: typeof displayName === 'string' ? displayName : null };
  },
};

/** One text field of an event that belongs to the user named in another field of it; a null stays null, unsealed. */
function userField(field: string, owner: string): PersonalDataRule {
  return {
    split(data) {
      if (data[field] === null || data[field] === undefined) return { clear: data, parts: [] };
      return { clear: { ...data, [field]: SEALED }, parts: [{ subject: userDataSubject(String(data[owner])), personal: data[field] }] };
    },
    join(clear, opened) {
      if (clear[field] !== SEALED) return clear;
      return { ...clear, [field]: text(opened.get(userDataSubject(String(clear[owner])))) };
    },
  };
}

/** The address of an email reservation (its stream is named by the address's sha256, which stays). */
const emailReserved = userField('email', 'userId');

type ChunkText = [text: unknown, headingPath: unknown];

/** The text and heading path of every chunk of a DocumentChunked part (ids, positions and counts stay). */
const documentChunked: PersonalDataRule = {
  split({ chunks, ...clear }) {
    const all = list(chunks);
    return {
      clear: { ...clear, chunks: all.map((chunk) => ({ ...chunk, text: SEALED, headingPath: [] })) },
      parts: [
        {
          subject: documentTextSubject(String(clear.documentId), Number(clear.revision)),
          personal: all.map((chunk): ChunkText => [chunk.text, chunk.headingPath]),
        },
      ],
    };
  },
  join({ chunks, ...clear }, opened) {
    const texts = opened.get(documentTextSubject(String(clear.documentId), Number(clear.revision)));
    const known = Array.isArray(texts) ? (texts as ChunkText[]) : [];
    return {
      ...clear,
      chunks: list(chunks).map((chunk, i) => ({ ...chunk, text: text(known[i]?.[0]), headingPath: headings(known[i]?.[1]) })),
    };
  },
};

const retrievedSubject = (chunk: JsonObject) => documentTextSubject(String(chunk.documentId), Number(chunk.revision));

/**
 * The texts and heading paths of the chunks a turn retrieved (kept so a resumed turn generates from exactly them),
 * each under the key of its document's revision: deleting a document erases them from every turn that read them.
 */
const retrievalCompleted: PersonalDataRule = {
  split({ chunks, ...clear }) {
    const all = list(chunks);
    const bySubject = new Map<string, Record<string, ChunkText>>();
    for (const chunk of all) {
      const subject = retrievedSubject(chunk);
      bySubject.set(subject, { ...bySubject.get(subject), [String(chunk.n)]: [chunk.text, chunk.headingPath] });
    }
    return {
      clear: { ...clear, chunks: all.map((chunk) => ({ ...chunk, text: SEALED, headingPath: [] })) },
      parts: [...bySubject].map(([subject, personal]) => ({ subject, personal })),
    };
  },
  join({ chunks, ...clear }, opened) {
    return {
      ...clear,
      chunks: list(chunks).map((chunk) => {
        const [chunkText, headingPath] = (record(opened.get(retrievedSubject(chunk)))[String(chunk.n)] ?? []) as ChunkText;
        return { ...chunk, text: text(chunkText), headingPath: headings(headingPath) };
      }),
    };
  },
};

/** A chunk's text as its curator wrote it: the document revision's text like the rest. */
const chunkEdited: PersonalDataRule = {
  split(data) {
    const subject = documentTextSubject(String(data.documentId), Number(data.revision));
    return { clear: { ...data, text: SEALED }, parts: [{ subject, personal: data.text }] };
  },
  join(clear, opened) {
    return { ...clear, text: text(opened.get(documentTextSubject(String(clear.documentId), Number(clear.revision)))) };
  },
};

/** The document revision a citation quotes, from its chunk id; undefined for an id of another shape. */
function citedSubject(citation: JsonObject): string | undefined {
  const documentId = String(citation.documentId);
  const revision = revisionOfChunk(String(citation.chunkId), documentId);
  return revision === undefined ? undefined : documentTextSubject(documentId, revision);
}

/**
 * An answer: its text under the asker's key (only from schema 2 on, which names the asker: an older answer stays as
 * it was written), and each excerpt its citations quote under the key of the document revision it comes from.
 */
const answer: PersonalDataRule = {
  split(data) {
    const asker = typeof data.userId === 'string' ? userDataSubject(data.userId) : undefined;
    const citations = list(data.citations);
    const excerpts = new Map<string, Record<string, unknown>>();
    const clearCitations = citations.map((citation) => {
      const subject = citedSubject(citation);
      if (!subject) return citation;
      excerpts.set(subject, { ...excerpts.get(subject), [String(citation.n)]: citation.excerpt });
      return { ...citation, excerpt: SEALED };
    });
    const parts: PersonalPart[] = [...excerpts].map(([subject, personal]) => ({ subject, personal }));
    if (asker) parts.push({ subject: asker, personal: data.answer });
    return { clear: { ...data, ...(asker && { answer: SEALED }), citations: clearCitations }, parts };
  },
  join(clear, opened) {
    const asker = typeof clear.userId === 'string' ? userDataSubject(clear.userId) : undefined;
    const citations = list(clear.citations).map((citation) => {
      const subject = citedSubject(citation);
      if (!subject || citation.excerpt !== SEALED) return citation;
      return { ...citation, excerpt: text(record(opened.get(subject))[String(citation.n)]) };
    });
    return { ...clear, ...(asker && clear.answer === SEALED && { answer: text(opened.get(asker)) }), citations };
  },
};

/** The event types that carry personal data, by type name. Events of other types are stored as they are. */
export const PERSONAL_DATA_RULES: Readonly<Record<string, PersonalDataRule>> = {
  UserRegistered: userRegistered,
  EmailReserved: emailReserved,
  DocumentChunked: documentChunked,
  RetrievalCompleted: retrievalCompleted,
  TurnStarted: userField('question', 'userId'),
  ConversationStarted: userField('title', 'userId'),
  AnswerCompleted: answer,
  AnswerStopped: answer,
  TurnRated: userField('comment', 'by'),
  ChunkEdited: chunkEdited,
};

export const personalDataRuleOf = (type: string): PersonalDataRule | undefined =>
  Object.hasOwn(PERSONAL_DATA_RULES, type) ? PERSONAL_DATA_RULES[type] : undefined;

/**
 * The subjects an erasure event erases: UserErased a user's data; DocumentDeleted the text of every revision of the
 * document up to the deleted one. Nothing for other events.
 */
export function subjectsErasedBy(event: { type: string; data: JsonObject }): string[] {
  if (event.type === 'UserErased') return [userDataSubject(String(event.data.userId))];
  if (event.type === 'DocumentDeleted') {
    const documentId = String(event.data.documentId);
    const revision = Number(event.data.revision);
    return Array.from({ length: Number.isInteger(revision) && revision > 0 ? revision : 0 }, (_, i) =>
      documentTextSubject(documentId, i + 1),
    );
  }
  return [];
}

/** The event types subjectsErasedBy knows (a reactor's filter). */
export const ERASURE_EVENT_TYPES = ['UserErased', 'DocumentDeleted'] as const;

/** Destroys subjects' keys (idempotent): whatever was sealed under them reads as ERASED from then on. */
export interface KeyShredder {
  shred(subjects: readonly string[]): Promise<void>;
}
