/**
 * Chat end to end over real HTTP GraphQL in the embedded default (no model key: the extractive answerer): an
 * answer quoting the uploaded document with [n] citations, charged exactly its counted usage at the price (wallet
 * and ledger show it); insufficient funds reject the turn and charge nothing; bad input is refused with typed
 * errors before anything is reserved or appended; a turn and a conversation are their asker's alone; ratings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costOf } from '../../contracts/wallet.ts';
import { documentEnd, uploadFile } from '../../ops/testing/document-uploads.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import {
  ask,
  CONVERSATION,
  CONVERSATIONS,
  createKnowledgeBase,
  DEPOSIT,
  finishedTurn,
  linesOf,
  ok,
  RATE,
  REGENERATE,
  settledWallet,
  STOP,
  TURN,
  walletOf,
  type TurnResult,
} from './chat.testing.ts';
import { register, type Session } from './identity.testing.ts';

const PRICE = { promptPer1k: 1000, completionPer1k: 3000 };
const FUNDS = 1_000_000;
const MANUAL = [
  'Pump maintenance.',
  'Oil the pump every month with light machine oil.',
  'A pump moves water uphill through the main pipe.',
  'The boiler must be serviced by a technician every year.',
].join('\n\n');

describe('chat over GraphQL, embedded default (extractive answers)', () => {
  let app: TestApp;
  let admin: Session;
  let alice: Session;
  let bob: Session;
  let kb: string;
  let bobsKb: string;
  let documentId: string;
  let answered: TurnResult;

  beforeAll(async () => {
    app = await startTestApp({ env: { SIGNUP_GRANT: '0', PRICES: JSON.stringify({ 'extractive-local': PRICE }) } });
    admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: FUNDS, reference: 'alice-funds' });
    kb = await createKnowledgeBase(app, alice.accessToken, 'Plant');
    bobsKb = await createKnowledgeBase(app, bob.accessToken, 'Bob');
    documentId = await uploadFile(app, alice.accessToken, kb, 'plant.txt', new TextEncoder().encode(MANUAL));
    expect((await documentEnd(app, alice.accessToken, documentId, 120_000)).status).toBe('indexed');
  }, 240_000);
  afterAll(async () => {
    await app?.close();
  });

  it('answers from the document with [n] citations and charges exactly the counted usage at the price', async () => {
    const asked = await ask(app, alice.accessToken, { kb, question: 'How often should the pump be oiled?' });
    expect(asked).toMatchObject({ status: 'reserving', question: 'How often should the pump be oiled?', answer: null, cost: null });
    answered = await finishedTurn(app, alice.accessToken, asked.id);
    expect(answered.status, answered.error ?? '').toBe('completed');
    expect(answered.answer).toMatch(/^Extractive answer/);
    expect(answered.answer).toContain('Oil the pump every month with light machine oil. [1]');
    expect(answered.citations[0]).toMatchObject({ n: 1, documentId, documentName: 'plant.txt' });
    expect(answered.citations[0]!.chunkId.startsWith(`${documentId}:1:`)).toBe(true);
    expect(answered.citations[0]!.excerpt).toContain('Oil the pump');
    const usage = answered.usage!;
    expect(usage.model).toBe('extractive-local');
    expect(usage.completionTokens).toBeGreaterThan(0);
    expect(answered.cost).toBe(costOf(PRICE, usage));

    const wallet = await settledWallet(app, alice.accessToken, 3);
    expect(wallet.balance).toBe(FUNDS - answered.cost!);
    expect(linesOf(wallet, asked.id)).toEqual([
      ['reserve', expect.any(Number)],
      ['capture', answered.cost],
    ]);
    expect(wallet.ledger.find((line) => line.kind === 'capture')).toMatchObject({
      model: 'extractive-local',
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
    });
    const { conversation } = await ok<{ conversation: { title: string; knowledgeBaseId: string; turns: unknown[] } }>(
      app,
      alice.accessToken,
      CONVERSATION,
      { id: asked.conversationId },
    );
    expect(conversation).toMatchObject({ title: asked.question, knowledgeBaseId: kb, turns: [{ id: asked.id, status: 'completed' }] });
  });

  it('shows each user the tokens and credits charged per model and day; an admin may read anyone\'s', async () => {
    const USAGE = `query($userId: ID) { usage(userId: $userId) { userId model day turns promptTokens completionTokens cost } }`;
    const { usage } = await ok<{ usage: unknown[] }>(app, alice.accessToken, USAGE);
    const today = new Date().toISOString().slice(0, 10);
    expect(usage).toEqual([
      {
        userId: alice.user.id,
        model: 'extractive-local',
        day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        turns: 1,
        promptTokens: answered.usage!.promptTokens,
        completionTokens: answered.usage!.completionTokens,
        cost: answered.cost,
      },
    ]);
    // The day of the charge, in UTC (a run across midnight may see yesterday).
    expect((usage[0] as { day: string }).day <= today).toBe(true);
    expect((await ok<{ usage: unknown[] }>(app, admin.accessToken, USAGE, { userId: alice.user.id })).usage).toEqual(usage);
    expect((await app.gql(USAGE, { userId: alice.user.id }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await app.gql(USAGE, {})).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('rejects a turn the wallet cannot cover with INSUFFICIENT_FUNDS, and charges nothing', async () => {
    const asked = await ask(app, bob.accessToken, { kb: bobsKb, question: 'Anything about pumps?' });
    const rejected = await finishedTurn(app, bob.accessToken, asked.id);
    expect(rejected).toMatchObject({ status: 'rejected', errorCode: 'INSUFFICIENT_FUNDS', cost: 0, answer: null, usage: null });
    expect(rejected.error).toMatch(/insufficient funds/);
    // What it would have needed and what there was, as numbers a client can show in its own words.
    expect(rejected.fundsAvailable).toBe(0);
    expect(rejected.fundsNeeded).toBeGreaterThan(0);
    expect(rejected.error).toContain(String(rejected.fundsNeeded));
    const wallet = await walletOf(app, bob.accessToken);
    expect(wallet).toMatchObject({ balance: 0, reserved: 0 });
    expect(wallet.ledger.every((line) => line.kind === 'decline')).toBe(true);
    // A rejected turn has no answer to rate.
    expect((await app.gql(RATE, { id: asked.id, rating: 'DOWN' }, bob.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses bad input with typed errors before anything is reserved or appended', async () => {
    const { conversationId } = answered;
    const bobsTurn = await ask(app, bob.accessToken, { kb: bobsKb, question: 'Mine?' });
    await finishedTurn(app, bob.accessToken, bobsTurn.id);
    const otherKb = await createKnowledgeBase(app, alice.accessToken, 'Other');
    const walletBefore = await walletOf(app, alice.accessToken);
    const headBefore = await app.app.eventStore.headPosition();
    const attempt = async (variables: Record<string, unknown>) =>
      (await app.gql(`mutation($kb: ID!, $q: String!, $c: ID, $m: Int) {
        ask(knowledgeBaseId: $kb, question: $q, conversationId: $c, maxTokens: $m) { id } }`, { kb, q: 'pumps?', ...variables }, alice.accessToken)).codes;
    expect(await attempt({ q: '' })).toEqual(['BAD_USER_INPUT']);
    expect(await attempt({ q: ' \n\t ' })).toEqual(['BAD_USER_INPUT']);
    expect(await attempt({ q: 'pump '.repeat(20_000) })).toEqual(['BAD_USER_INPUT']);
    expect(await attempt({ m: 0 })).toEqual(['BAD_USER_INPUT']);
    expect(await attempt({ m: -5 })).toEqual(['BAD_USER_INPUT']);
    expect(await attempt({ m: 1_000_000 })).toEqual(['BAD_USER_INPUT']);
    expect(await attempt({ kb: 'no-such-kb' })).toEqual(['NOT_FOUND']);
    expect(await attempt({ kb: bobsKb })).toEqual(['FORBIDDEN']);
    expect(await attempt({ c: 'no-such-conversation' })).toEqual(['NOT_FOUND']);
    expect(await attempt({ c: bobsTurn.conversationId })).toEqual(['FORBIDDEN']);
    expect(await attempt({ kb: otherKb, c: conversationId })).toEqual(['BAD_USER_INPUT']);
    // Nothing appended (no turn, no conversation, no reservation) and the wallet as it was.
    expect(await app.app.eventStore.readAll({ after: headBefore })).toEqual([]);
    expect(await walletOf(app, alice.accessToken)).toEqual(walletBefore);
  });

  it('keeps a turn and a conversation to its asker: others get FORBIDDEN, unknown ids NOT_FOUND', async () => {
    const codes = async (query: string, variables: Record<string, unknown>, token: string) => (await app.gql(query, variables, token)).codes;
    for (const token of [bob.accessToken, admin.accessToken]) {
      expect(await codes(TURN, { id: answered.id }, token)).toEqual(['FORBIDDEN']);
      expect(await codes(STOP, { id: answered.id }, token)).toEqual(['FORBIDDEN']);
      expect(await codes(REGENERATE, { id: answered.id }, token)).toEqual(['FORBIDDEN']);
      expect(await codes(RATE, { id: answered.id, rating: 'UP' }, token)).toEqual(['FORBIDDEN']);
      expect(await codes(CONVERSATION, { id: answered.conversationId }, token)).toEqual(['FORBIDDEN']);
    }
    expect(await codes(TURN, { id: 'no-such-turn' }, alice.accessToken)).toEqual(['NOT_FOUND']);
    expect(await codes(CONVERSATION, { id: 'no-such-conversation' }, alice.accessToken)).toEqual(['NOT_FOUND']);
    expect(await codes(TURN, { id: answered.id }, '')).toEqual(['UNAUTHENTICATED']);
    const listed = await ok<{ conversations: Array<{ id: string }> }>(app, bob.accessToken, CONVERSATIONS);
    expect(listed.conversations.map((c) => c.id)).not.toContain(answered.conversationId);
    // Stopping a turn that has ended changes nothing.
    expect((await ok<{ stopAnswer: TurnResult }>(app, alice.accessToken, STOP, { id: answered.id })).stopAnswer.status).toBe('completed');
  });

  it('records ratings on the turn (the last counts) and counts them per knowledge base', async () => {
    const counts = async () =>
      (await ok<{ knowledgeBases: Array<{ id: string; feedbackUp: number; feedbackDown: number }> }>(
        app,
        alice.accessToken,
        `{ knowledgeBases { id feedbackUp feedbackDown } }`,
      )).knowledgeBases.find((k) => k.id === kb);
    expect(await counts()).toMatchObject({ feedbackUp: 0, feedbackDown: 0 });
    await ok(app, alice.accessToken, RATE, { id: answered.id, rating: 'UP' });
    const { rateTurn } = await ok<{ rateTurn: TurnResult }>(app, alice.accessToken, RATE, { id: answered.id, rating: 'DOWN', comment: 'too short' });
    expect(rateTurn.feedback).toMatchObject({ rating: 'DOWN', comment: 'too short' });
    expect((await ok<{ turn: TurnResult }>(app, alice.accessToken, TURN, { id: answered.id })).turn.feedback).toMatchObject({ rating: 'DOWN' });
    expect(await counts()).toMatchObject({ feedbackUp: 0, feedbackDown: 1 });

    const followUp = await ask(app, alice.accessToken, { kb, question: 'What does a pump move?', conversationId: answered.conversationId });
    expect(followUp.conversationId).toBe(answered.conversationId);
    expect((await finishedTurn(app, alice.accessToken, followUp.id)).answer).toContain('A pump moves water uphill');
    await ok(app, alice.accessToken, RATE, { id: followUp.id, rating: 'UP' });
    expect(await counts()).toMatchObject({ feedbackUp: 1, feedbackDown: 1 });
  });
});
