/**
 * Chunk curation through the whole app (embedded, extractive answers), with the public contract's names (chunks,
 * updateChunk, setChunkEnabled, addQaPair and Chunk's fields): the owner lists a document's chunks a page at a time
 * (the cursor a chunk id), edits one (search and answers use the new text at once, the old words are gone), takes
 * one out of search and puts it back, and adds a question-and-answer pair whose chunk search finds as soon as the
 * mutation answers, and an answer cites. Every change is in the
 * document's audit trail with who made it; others cannot see or change the chunks; bad input changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { createKnowledgeBase, upload, waitForStatus } from '../upload/upload.testing.ts';
import { ask, finishedTurn, ok } from './chat.testing.ts';
import { AUDIT, register, type AuditEventView, type Session } from './identity.testing.ts';

const MANUAL = `# Boiler care

The boiler must be serviced every twelve months by a certified technician.

# Filters

Replace the air filter when the warning light on the front panel turns orange.

# Valves

The mixing valve sits behind the left access panel of the cabinet.
`;

/** The contract's Chunk fields, and ours beside them. */
const CONTRACT_FIELDS = 'id documentId knowledgeBaseId ordinal text enabled';
const CHUNKS = `query($id: ID!, $limit: Int, $after: String) {
  chunks(documentId: $id, limit: $limit, after: $after) { ${CONTRACT_FIELDS} revision headingPath tokenCount } }`;
const EDIT = `mutation($id: ID!, $text: String!) { updateChunk(id: $id, text: $text) { ${CONTRACT_FIELDS} tokenCount } }`;
const TOGGLE = `mutation($id: ID!, $enabled: Boolean!) { setChunkEnabled(id: $id, enabled: $enabled) { ${CONTRACT_FIELDS} } }`;
const ADD_QA = `mutation($kb: ID!, $q: String!, $a: String!) { addQaPair(knowledgeBaseId: $kb, question: $q, answer: $a) { ${CONTRACT_FIELDS} } }`;
const DOCUMENT = `query($id: ID!) { document(id: $id) { id name status } }`;
const SEARCH = `query($kb: ID!, $q: String!) { search(knowledgeBaseId: $kb, query: $q, limit: 10) { chunkId documentName text } }`;

interface Chunk {
  id: string;
  documentId: string;
  knowledgeBaseId: string;
  ordinal: number;
  text: string;
  enabled: boolean;
  revision: number;
  headingPath: string[];
  tokenCount: number;
}

describe('curating what retrieval sees', () => {
  let app: TestApp;
  let alice: Session;
  let bob: Session;
  let kb: string;
  let documentId: string;
  let chunks: Chunk[];

  const search = async (q: string) => (await ok<{ search: Array<{ chunkId: string; documentName: string; text: string }> }>(app, alice.accessToken, SEARCH, { kb, q })).search;
  const listChunks = async (page: { limit?: number; after?: string } = {}) =>
    (await ok<{ chunks: Chunk[] }>(app, alice.accessToken, CHUNKS, { id: documentId, ...page })).chunks;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', SIGNUP_GRANT: '1000000' } });
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    kb = await createKnowledgeBase(app, alice, 'Plant');
    const { body } = await upload(app, kb, { name: 'manual.md', bytes: new TextEncoder().encode(MANUAL) }, { token: alice.accessToken });
    documentId = body.id!;
    await waitForStatus(app, alice.accessToken, documentId, ['indexed'], 90_000);
    chunks = await listChunks();
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  it('lists the current revision\'s chunks in order with the contract\'s fields; only for the owner', async () => {
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.map((chunk) => chunk.ordinal)).toEqual(chunks.map((_, i) => i));
    expect(chunks.map((chunk) => chunk.id)).toEqual(chunks.map((_, i) => `${documentId}:1:${i}`));
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ documentId, knowledgeBaseId: kb, enabled: true, revision: 1 });
    }
    expect(chunks.map((chunk) => chunk.text).join('\n')).toContain('mixing valve');
    expect((await app.gql(CHUNKS, { id: documentId }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
  });

  it('pages with after (a chunk id of the document) and limit 1..200 (100 by default)', async () => {
    expect(await listChunks({ limit: 1 })).toEqual([chunks[0]]);
    expect(await listChunks({ after: chunks[0]!.id, limit: 1 })).toEqual([chunks[1]]);
    expect(await listChunks({ after: chunks[0]!.id })).toEqual(chunks.slice(1));
    expect(await listChunks({ after: chunks.at(-1)!.id })).toEqual([]);
    // Walking the pages one chunk at a time gives the whole list.
    const walked: Chunk[] = [];
    for (let page = await listChunks({ limit: 1 }); page.length; page = await listChunks({ after: walked.at(-1)!.id, limit: 1 })) walked.push(...page);
    expect(walked).toEqual(chunks);
    for (const limit of [0, 201, 1000]) {
      expect((await app.gql(CHUNKS, { id: documentId, limit }, alice.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    }
    for (const after of ['nonsense', 'another-document:1:0', `${documentId}:1:x`, `${documentId}:0:1`]) {
      expect((await app.gql(CHUNKS, { id: documentId, after }, alice.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    }
    expect((await app.gql(CHUNKS, { id: 'no-such-document' }, alice.accessToken)).codes).toEqual(['NOT_FOUND']);
  });

  it('an edited chunk is searched and cited with its new text at once, the old words gone', async () => {
    const boiler = chunks.find((chunk) => chunk.text.includes('twelve months'))!;
    const text = 'The boiler must be serviced every eighteen months by a zanzibarite-certified technician.';
    const edited = (await ok<{ updateChunk: Chunk }>(app, alice.accessToken, EDIT, { id: boiler.id, text: `  ${text}\n` })).updateChunk;
    expect(edited).toEqual({ id: boiler.id, documentId, knowledgeBaseId: kb, ordinal: boiler.ordinal, text, enabled: true, tokenCount: edited.tokenCount });
    expect(edited.tokenCount).toBeGreaterThan(5);

    expect((await search('zanzibarite')).map((hit) => hit.chunkId)).toEqual([boiler.id]);
    expect((await search('twelve')).map((hit) => hit.chunkId)).not.toContain(boiler.id);
    const turn = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: 'Who services the boiler, a zanzibarite technician?' })).id);
    expect(turn.answer).toContain('eighteen months');
    expect(turn.citations.find((citation) => citation.chunkId === boiler.id)?.excerpt).toContain('eighteen months');
  });

  it('a disabled chunk is in no search and no answer until enabled again', async () => {
    const valve = chunks.find((chunk) => chunk.text.includes('mixing valve'))!;
    expect((await search('mixing valve cabinet')).map((hit) => hit.chunkId)).toContain(valve.id);
    const off = await ok<{ setChunkEnabled: Chunk }>(app, alice.accessToken, TOGGLE, { id: valve.id, enabled: false });
    expect(off.setChunkEnabled).toEqual({ id: valve.id, documentId, knowledgeBaseId: kb, ordinal: valve.ordinal, text: valve.text, enabled: false });
    // Twice is the same as once.
    expect((await ok<{ setChunkEnabled: { enabled: boolean } }>(app, alice.accessToken, TOGGLE, { id: valve.id, enabled: false })).setChunkEnabled.enabled).toBe(false);
    expect((await search('mixing valve cabinet')).map((hit) => hit.chunkId)).not.toContain(valve.id);
    const turn = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: 'Where is the mixing valve?' })).id);
    expect(turn.citations.map((citation) => citation.chunkId)).not.toContain(valve.id);
    expect((await listChunks()).find((chunk) => chunk.id === valve.id)).toMatchObject({ enabled: false, text: valve.text });

    await ok(app, alice.accessToken, TOGGLE, { id: valve.id, enabled: true });
    expect((await search('mixing valve cabinet')).map((hit) => hit.chunkId)).toContain(valve.id);
  });

  it('refuses others, bad text and unknown or malformed chunk ids (NOT_FOUND), changing nothing', async () => {
    const [first] = chunks;
    const before = await listChunks();
    expect((await app.gql(EDIT, { id: first!.id, text: 'Mine now' }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await app.gql(TOGGLE, { id: first!.id, enabled: false }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await app.gql(EDIT, { id: first!.id, text: '   ' }, alice.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    expect((await app.gql(EDIT, { id: first!.id, text: 'x'.repeat(8001) }, alice.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    const unknown = [`${documentId}:1:999`, `${documentId}:2:0`, 'another-document:1:0', 'nonsense', '', `${documentId}:1`, `${documentId}:1:-1`];
    for (const id of unknown) {
      expect((await app.gql(EDIT, { id, text: 'Nowhere' }, alice.accessToken)).codes, id).toEqual(['NOT_FOUND']);
      expect((await app.gql(TOGGLE, { id, enabled: false }, alice.accessToken)).codes, id).toEqual(['NOT_FOUND']);
    }
    expect(await listChunks()).toEqual(before);
  });

  it('the document\'s audit trail says who changed which chunk', async () => {
    const trail = (await ok<{ auditTrail: AuditEventView[] }>(app, alice.accessToken, AUDIT, { stream: `document-${documentId}`, limit: 100 })).auditTrail;
    const curation = trail.filter((event) => ['ChunkEdited', 'ChunkDisabled', 'ChunkEnabled'].includes(event.type));
    expect(curation.map((event) => event.type)).toEqual(['ChunkEdited', 'ChunkDisabled', 'ChunkEnabled']);
    expect(JSON.parse(curation[0]!.data)).toMatchObject({ editedBy: alice.user.id, text: expect.stringContaining('zanzibarite') });
    expect(JSON.parse(curation[1]!.data)).toMatchObject({ by: alice.user.id });
    // The edited text is the document's, sealed in the stored log like its chunks (erased with the document).
    expect(JSON.stringify(await app.app.sealedEventStore.readStream(`document-${documentId}`))).not.toContain('zanzibarite');
  });

  it('a question-and-answer pair added by hand answers its chunk, which search finds at once and an answer cites', async () => {
    const added = (await ok<{ addQaPair: Chunk }>(app, alice.accessToken, ADD_QA, {
      kb,
      q: 'How do I reset the quibblefrost alarm?',
      a: 'Hold the red quibblefrost button for five seconds until the alarm beeps twice.',
    })).addQaPair;
    expect(added).toMatchObject({ id: `${added.documentId}:1:0`, knowledgeBaseId: kb, ordinal: 0, enabled: true });
    expect(added.text).toContain('five seconds');
    // No waiting: the mutation answered once the pair was indexed.
    const [hit] = await search('quibblefrost alarm reset');
    expect(hit).toMatchObject({ chunkId: added.id, documentName: 'Q&A: How do I reset the quibblefrost alarm?.md' });
    expect(hit!.text).toContain('five seconds');
    expect((await ok<{ document: { name: string; status: string } }>(app, alice.accessToken, DOCUMENT, { id: added.documentId })).document)
      .toMatchObject({ name: 'Q&A: How do I reset the quibblefrost alarm?.md', status: 'indexed' });
    const turn = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: 'How do I reset the quibblefrost alarm?' })).id);
    expect(turn.citations[0]).toMatchObject({ documentId: added.documentId, chunkId: added.id });
    // The same pair again is the same document: its chunk at once.
    expect((await ok<{ addQaPair: Chunk }>(app, alice.accessToken, ADD_QA, {
      kb,
      q: 'How do I reset the quibblefrost alarm?',
      a: 'Hold the red quibblefrost button for five seconds until the alarm beeps twice.',
    })).addQaPair).toEqual(added);
    expect((await app.gql(ADD_QA, { kb, q: '', a: 'x' }, alice.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    expect((await app.gql(ADD_QA, { kb, q: 'Mine?', a: 'x' }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
  });
});
