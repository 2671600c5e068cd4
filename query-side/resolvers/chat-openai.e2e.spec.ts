/**
 * Chat end to end over real HTTP GraphQL with a chat model: OPENAI_BASE_URL points at a real local HTTP server
 * speaking the OpenAI streaming protocol, started by the test. A completed answer is charged the usage the provider
 * reported; a stop mid-stream aborts the provider's request and charges the tokens so far; a provider that never
 * answers fails the turn and releases its hold; regenerate starts a new turn in the same conversation and both
 * are billed; a follow-up question sends the earlier turn to the model.
 * (No documents here: with a model configured the embedder is remote too, and the stub speaks chat only.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { costOf } from '../../contracts/wallet.ts';
import { until } from '../../ops/testing/document-uploads.ts';
import type { TestApp } from '../../ops/testing/server.ts';
import {
  ask,
  createKnowledgeBase,
  DEPOSIT,
  finishedTurn,
  linesOf,
  ok,
  REGENERATE,
  settledWallet,
  startAppWithChatStub,
  STOP,
  turnOf,
  walletOf,
  type TurnResult,
} from './chat.testing.ts';
import { register, type Session } from './identity.testing.ts';

const MODEL = 'stub-chat';
const PRICE = { promptPer1k: 1000, completionPer1k: 2000 };
const FUNDS = 10_000_000;

describe('chat over GraphQL with an OpenAI-compatible model (a local stub server)', () => {
  let stub: OpenAiStubServer;
  let app: TestApp;
  let alice: Session;
  let kb: string;
  let first: TurnResult;

  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    app = await startAppWithChatStub(stub.baseURL, MODEL, PRICE, { CHAT_FIRST_TOKEN_TIMEOUT_MS: '1000', CHAT_STALL_TIMEOUT_MS: '1000' });
    const admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: FUNDS, reference: 'alice-funds' });
    kb = await createKnowledgeBase(app, alice.accessToken, 'Plant');
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });
  beforeEach(() => stub.reset());

  /** Wallet lines so far, to count the ones a test adds. */
  const lineCount = async () => (await walletOf(app, alice.accessToken)).ledger.length;

  it('streams a completion and charges the usage the provider reported, at the price', async () => {
    stub.script({ kind: 'stream', tokens: ['Pumps ', 'move ', 'water.'], usage: { prompt_tokens: 321, completion_tokens: 3 } });
    const lines = await lineCount();
    const asked = await ask(app, alice.accessToken, { kb, question: 'What do pumps do?', maxTokens: 64 });
    first = await finishedTurn(app, alice.accessToken, asked.id);
    expect(first).toMatchObject({ status: 'completed', answer: 'Pumps move water.', usage: { model: MODEL, promptTokens: 321, completionTokens: 3 } });
    expect(first.cost).toBe(costOf(PRICE, { promptTokens: 321, completionTokens: 3 }));
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]!.body).toMatchObject({ model: MODEL, stream: true, stream_options: { include_usage: true }, max_tokens: 64 });
    const wallet = await settledWallet(app, alice.accessToken, lines + 2);
    expect(wallet.balance).toBe(FUNDS - first.cost!);
    expect(linesOf(wallet, asked.id)).toEqual([
      ['reserve', expect.any(Number)],
      ['capture', first.cost],
    ]);
  });

  it('sends the earlier turns of the conversation with a follow-up question', async () => {
    stub.script({ kind: 'stream', tokens: ['Uphill.'], usage: { prompt_tokens: 400, completion_tokens: 2 } });
    const followUp = await ask(app, alice.accessToken, { kb, question: 'Which way?', conversationId: first.conversationId });
    expect((await finishedTurn(app, alice.accessToken, followUp.id)).status).toBe('completed');
    const sent = JSON.stringify(stub.requests[0]!.body.messages);
    expect(sent).toContain('What do pumps do?');
    expect(sent).toContain('Pumps move water.');
    expect(sent).toContain('Which way?');
  });

  it('regenerates a turn as a new turn in the same conversation; both are billed', async () => {
    stub.script({ kind: 'stream', tokens: ['Pumps ', 'lift ', 'water.'], usage: { prompt_tokens: 300, completion_tokens: 3 } });
    const lines = await lineCount();
    const { regenerate } = await ok<{ regenerate: TurnResult }>(app, alice.accessToken, REGENERATE, { id: first.id });
    expect(regenerate).toMatchObject({ conversationId: first.conversationId, question: first.question, regeneratedFrom: first.id });
    expect(regenerate.id).not.toBe(first.id);
    const again = await finishedTurn(app, alice.accessToken, regenerate.id);
    expect(again).toMatchObject({ status: 'completed', answer: 'Pumps lift water.', cost: costOf(PRICE, { promptTokens: 300, completionTokens: 3 }) });
    // The original keeps its answer and its charge.
    expect(await turnOf(app, alice.accessToken, first.id)).toMatchObject({ status: 'completed', answer: 'Pumps move water.', cost: first.cost });
    const wallet = await settledWallet(app, alice.accessToken, lines + 2);
    expect(linesOf(wallet, first.id)).toEqual([['reserve', expect.any(Number)], ['capture', first.cost]]);
    expect(linesOf(wallet, again.id)).toEqual([['reserve', expect.any(Number)], ['capture', again.cost]]);
  });

  it('stops an answer mid-stream: the provider request is aborted and the tokens so far are charged', async () => {
    stub.script({ kind: 'stream', tokens: Array.from({ length: 200 }, (_, i) => `word${i} `), delayMs: 25 });
    const lines = await lineCount();
    const asked = await ask(app, alice.accessToken, { kb, question: 'Tell me everything about pumps.' });
    await until('the provider streaming', async () => (stub.requests.length > 0 ? true : undefined), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await ok(app, alice.accessToken, STOP, { id: asked.id });
    const stopped = await finishedTurn(app, alice.accessToken, asked.id);
    expect(stopped.status).toBe('stopped');
    expect(stopped.answer).toMatch(/^word0 word1 /);
    const usage = stopped.usage!;
    expect(usage.completionTokens).toBeGreaterThan(0);
    expect(usage.completionTokens).toBeLessThan(200);
    expect(stopped.cost).toBe(costOf(PRICE, usage));
    expect(await stub.requests[0]!.settled).toBe('closed-by-client');
    const wallet = await settledWallet(app, alice.accessToken, lines + 2);
    expect(linesOf(wallet, asked.id)).toEqual([['reserve', expect.any(Number)], ['capture', stopped.cost]]);
  });

  it('fails a turn whose provider never answers and releases its hold', async () => {
    stub.script({ kind: 'hang' });
    const lines = await lineCount();
    const before = await walletOf(app, alice.accessToken);
    const asked = await ask(app, alice.accessToken, { kb, question: 'Are you there?' });
    const failed = await finishedTurn(app, alice.accessToken, asked.id);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'ANSWER_FAILED', cost: 0, answer: null });
    expect(failed.error).toMatch(/no answer from the model/);
    const wallet = await settledWallet(app, alice.accessToken, lines + 2);
    expect(wallet.balance).toBe(before.balance);
    const [[, held], released] = linesOf(wallet, asked.id) as [[string, number], [string, number]];
    expect(released).toEqual(['release', held]);
  });
});
