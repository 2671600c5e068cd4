/**
 * Chunk curation through the whole app (embedded, extractive answers): the owner lists a document's chunks, edits
 * one (search and answers use the new text at once, the old words are gone), takes one out of search and puts it
 * back, and adds a question-and-answer pair that retrieval then finds and an answer cites. Every change is in the
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

const CHUNKS = `query($id: ID!, $from: Int, $limit: Int) {
  documentChunks(documentId: $id, from: $from, limit: $limit) { id documentId revision index text headingPath tokenCount enabled } }`;
const EDIT = `mutation($doc: ID!, $chunk: ID!, $text: String!) {
  editChunk(documentId: $doc, chunkId: $chunk, text: $text) { id text enabled tokenCount } }`;
const TOGGLE = `mutation($doc: ID!, $chunk: ID!, $enabled: Boolean!) {
  setChunkEnabled(documentId: $doc, chunkId: $chunk, enabled: $enabled) { id enabled } }`;
const ADD_QA = `mutation($kb: ID!, $q: String!, $a: String!) { addQaPair(knowledgeBaseId: $kb, question: $q, answer: $a) { id name status } }`;
const SEARCH = `query($kb: ID!, $q: String!) { search(knowledgeBaseId: $kb, query: $q, limit: 10) { chunkId documentName text } }`;

interface Chunk {
  id: string;
  documentId: string;
  revision: number;
  index: number;
  text: string;
  headingPath: string[];
  tokenCount: number;
  enabled: boolean;
}

describe('curating what retrieval sees', () => {
  let app: TestApp;
  let alice: Session;
  let bob: Session;
  let kb: string;
  let documentId: string;
  let chunks: Chunk[];

  const search = async (q: string) => (await ok<{ search: Array<{ chunkId: string; documentName: string; text: string }> }>(app, alice.accessToken, SEARCH, { kb, q })).search;
  const listChunks = async () => (await ok<{ documentChunks: Chunk[] }>(app, alice.accessToken, CHUNKS, { id: documentId })).documentChunks;

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

  it('lists the current revision\'s chunks in order with their text; only for the owner', async () => {
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.map((chunk) => chunk.index)).toEqual(chunks.map((_, i) => i));
    expect(chunks.every((chunk) => chunk.enabled && chunk.revision === 1 && chunk.documentId === documentId)).toBe(true);
    expect(chunks.map((chunk) => chunk.text).join('\n')).toContain('mixing valve');
    expect((await ok<{ documentChunks: Chunk[] }>(app, alice.accessToken, CHUNKS, { id: documentId, from: 1, limit: 1 })).documentChunks).toEqual([chunks[1]]);
    expect((await app.gql(CHUNKS, { id: documentId }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await app.gql(CHUNKS, { id: documentId, limit: 1000 }, alice.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
  });

  it('an edited chunk is searched and cited with its new text at once, the old words gone', async () => {
    const boiler = chunks.find((chunk) => chunk.text.includes('twelve months'))!;
    const text = 'The boiler must be serviced every eighteen months by a zanzibarite-certified technician.';
    const edited = (await ok<{ editChunk: { id: string; text: string; enabled: boolean; tokenCount: number } }>(app, alice.accessToken, EDIT, { doc: documentId, chunk: boiler.id, text: `  ${text}\n` })).editChunk;
    expect(edited).toMatchObject({ id: boiler.id, text, enabled: true });
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
    const off = await ok<{ setChunkEnabled: { enabled: boolean } }>(app, alice.accessToken, TOGGLE, { doc: documentId, chunk: valve.id, enabled: false });
    expect(off.setChunkEnabled.enabled).toBe(false);
    // Twice is the same as once.
    expect((await ok<{ setChunkEnabled: { enabled: boolean } }>(app, alice.accessToken, TOGGLE, { doc: documentId, chunk: valve.id, enabled: false })).setChunkEnabled.enabled).toBe(false);
    expect((await search('mixing valve cabinet')).map((hit) => hit.chunkId)).not.toContain(valve.id);
    const turn = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: 'Where is the mixing valve?' })).id);
    expect(turn.citations.map((citation) => citation.chunkId)).not.toContain(valve.id);
    expect((await listChunks()).find((chunk) => chunk.id === valve.id)).toMatchObject({ enabled: false, text: valve.text });

    await ok(app, alice.accessToken, TOGGLE, { doc: documentId, chunk: valve.id, enabled: true });
    expect((await search('mixing valve cabinet')).map((hit) => hit.chunkId)).toContain(valve.id);
  });

  it('refuses others, bad text and unknown chunks, changing nothing', async () => {
    const [first] = chunks;
    const before = await listChunks();
    expect((await app.gql(EDIT, { doc: documentId, chunk: first!.id, text: 'Mine now' }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await app.gql(TOGGLE, { doc: documentId, chunk: first!.id, enabled: false }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await app.gql(EDIT, { doc: documentId, chunk: first!.id, text: '   ' }, alice.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    expect((await app.gql(EDIT, { doc: documentId, chunk: first!.id, text: 'x'.repeat(8001) }, alice.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    expect((await app.gql(EDIT, { doc: documentId, chunk: `${documentId}:1:999`, text: 'Nowhere' }, alice.accessToken)).codes).toEqual(['NOT_FOUND']);
    expect((await app.gql(EDIT, { doc: documentId, chunk: 'another-document:1:0', text: 'Nowhere' }, alice.accessToken)).codes).toEqual(['NOT_FOUND']);
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

  it('a question-and-answer pair added by hand is found and cited like any document', async () => {
    const added = (await ok<{ addQaPair: { id: string; name: string } }>(app, alice.accessToken, ADD_QA, {
      kb,
      q: 'How do I reset the quibblefrost alarm?',
      a: 'Hold the red quibblefrost button for five seconds until the alarm beeps twice.',
    })).addQaPair;
    expect(added.name).toBe('Q&A: How do I reset the quibblefrost alarm?.md');
    await waitForStatus(app, alice.accessToken, added.id, ['indexed'], 60_000);
    const [hit] = await search('quibblefrost alarm reset');
    expect(hit).toMatchObject({ documentName: added.name });
    expect(hit!.text).toContain('five seconds');
    const turn = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: 'How do I reset the quibblefrost alarm?' })).id);
    expect(turn.citations[0]).toMatchObject({ documentId: added.id, documentName: added.name });
    expect((await app.gql(ADD_QA, { kb, q: '', a: 'x' }, alice.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    expect((await app.gql(ADD_QA, { kb, q: 'Mine?', a: 'x' }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
  });
});
