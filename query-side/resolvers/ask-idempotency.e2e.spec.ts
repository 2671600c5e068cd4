/**
 * ask with an idempotencyKey: a client that retries (its answer lost, the connection dropped) gets the turn its first
 * attempt started, asked and billed once; the key reused for another question is a CONFLICT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { errorCodes } from '../../ops/testing/graphql-clients.ts';
import type { TestApp } from '../../ops/testing/server.ts';
import { ASK, CONVERSATIONS, DEPOSIT, createKnowledgeBase, finishedTurn, ok, settledWallet, startAppWithChatStub, type TurnResult } from './chat.testing.ts';
import { register, type Session } from './identity.testing.ts';

const MODEL = 'stub-chat';
const ASK_WITH_KEY = ASK.replace('$maxTokens: Int)', '$maxTokens: Int, $key: String)').replace(
  'maxTokens: $maxTokens)',
  'maxTokens: $maxTokens, idempotencyKey: $key)',
);

describe('ask with an idempotencyKey', () => {
  let stub: OpenAiStubServer;
  let app: TestApp;
  let alice: Session;
  let bob: Session;
  let kb: string;
  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    app = await startAppWithChatStub(stub.baseURL, MODEL, { promptPer1k: 1000, completionPer1k: 2000 });
    const admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: 10_000_000, reference: 'alice-funds' });
    kb = await createKnowledgeBase(app, alice.accessToken, 'Pumps');
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });

  it('a retried ask answers with the first turn, asked and billed once, even when the retries race', async () => {
    stub.script({ kind: 'stream', tokens: ['Pumps ', 'move ', 'water.'], delayMs: 5 });
    const variables = { kb, question: 'What do pumps do?', maxTokens: 50, key: 'question-1' };
    const first = (await ok<{ ask: TurnResult }>(app, alice.accessToken, ASK_WITH_KEY, variables)).ask;
    const retries = await Promise.all([1, 2, 3].map(() => ok<{ ask: TurnResult }>(app, alice.accessToken, ASK_WITH_KEY, variables)));
    expect(retries.map((r) => r.ask.id)).toEqual([first.id, first.id, first.id]);
    expect(retries.map((r) => r.ask.conversationId)).toEqual([first.conversationId, first.conversationId, first.conversationId]);

    await finishedTurn(app, alice.accessToken, first.id);
    const wallet = await settledWallet(app, alice.accessToken, 3);
    expect(wallet.ledger.filter((line) => line.turnId === first.id && line.kind === 'reserve')).toHaveLength(1);
    expect(wallet.ledger.filter((line) => line.turnId === first.id && line.kind === 'capture')).toHaveLength(1);
    expect(stub.requests.filter((r) => r.body.messages.some((m) => m.content.includes('What do pumps do?')))).toHaveLength(1);
    const { conversations } = await ok<{ conversations: { id: string }[] }>(app, alice.accessToken, CONVERSATIONS);
    expect(conversations.filter((c) => c.id === first.conversationId)).toHaveLength(1);
    expect(conversations).toHaveLength(1);
  }, 60_000);

  it('the same key for another question is a CONFLICT; another user may use the same key; a bad key is refused', async () => {
    const reused = await app.gql(ASK_WITH_KEY, { kb, question: 'Something else?', maxTokens: 50, key: 'question-1' }, alice.accessToken);
    expect(errorCodes(reused.errors)).toEqual(['CONFLICT']);
    const tooLong = await app.gql(ASK_WITH_KEY, { kb, question: 'What do valves do?', maxTokens: 50, key: 'k'.repeat(201) }, alice.accessToken);
    expect(errorCodes(tooLong.errors)).toEqual(['BAD_USER_INPUT']);
    // Bob's key is his own: it finds none of Alice's turns (he may not ask her knowledge base either).
    const bobs = await app.gql(ASK_WITH_KEY, { kb, question: 'What do pumps do?', maxTokens: 50, key: 'question-1' }, bob.accessToken);
    expect(errorCodes(bobs.errors)).toEqual(['FORBIDDEN']);
  }, 60_000);
});
