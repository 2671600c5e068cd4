/** GraphQL documents and steps the chat e2e tests share (test code only). */
import { expect } from 'vitest';
import { until } from '../../ops/testing/document-uploads.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';

export const TURN_FIELDS = `id conversationId question status answer error errorCode fundsNeeded fundsAvailable cost regeneratedFrom createdAt
  citations { n documentId documentName chunkId excerpt score }
  usage { model promptTokens completionTokens }
  feedback { rating comment at }`;

export const ASK = `mutation($kb: ID!, $question: String!, $conversationId: ID, $maxTokens: Int) {
  ask(knowledgeBaseId: $kb, question: $question, conversationId: $conversationId, maxTokens: $maxTokens) { ${TURN_FIELDS} } }`;
export const TURN = `query($id: ID!) { turn(id: $id) { ${TURN_FIELDS} } }`;
export const STOP = `mutation($id: ID!) { stopAnswer(turnId: $id) { ${TURN_FIELDS} } }`;
export const REGENERATE = `mutation($id: ID!) { regenerate(turnId: $id) { ${TURN_FIELDS} } }`;
export const RATE = `mutation($id: ID!, $rating: Rating!, $comment: String) {
  rateTurn(turnId: $id, rating: $rating, comment: $comment) { ${TURN_FIELDS} } }`;
export const CONVERSATION = `query($id: ID!) { conversation(id: $id) { id knowledgeBaseId title createdAt turns { id question status } } }`;
export const CONVERSATIONS = `{ conversations { id knowledgeBaseId title turns { id status } } }`;
export const WALLET = `{ wallet { balance reserved available ledger(limit: 100) { kind amount turnId model promptTokens completionTokens } } }`;
export const CREATE_KB = `mutation($name: String!) { createKnowledgeBase(name: $name) { id } }`;
export const DEPOSIT = `mutation($userId: ID!, $amount: Micros!, $reference: String!) {
  deposit(userId: $userId, amount: $amount, reference: $reference) { balance } }`;

export interface TurnResult {
  id: string;
  conversationId: string;
  question: string;
  status: string;
  answer: string | null;
  error: string | null;
  errorCode: string | null;
  fundsNeeded: number | null;
  fundsAvailable: number | null;
  cost: number | null;
  regeneratedFrom: string | null;
  citations: Array<{ n: number; documentId: string; documentName: string; chunkId: string; excerpt: string; score: number }>;
  usage: { model: string; promptTokens: number; completionTokens: number } | null;
  feedback: { rating: 'UP' | 'DOWN'; comment: string | null; at: string } | null;
}

export interface WalletResult {
  balance: number;
  reserved: number;
  available: number;
  ledger: Array<{ kind: string; amount: number; turnId: string | null; model: string | null; promptTokens: number | null; completionTokens: number | null }>;
}

const FINISHED = ['completed', 'stopped', 'failed', 'rejected'];

/** Runs a query or mutation that must succeed; its data. */
export async function ok<T>(app: TestApp, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await app.gql<T>(query, variables, token);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

export const ask = async (app: TestApp, token: string, variables: Record<string, unknown>) =>
  (await ok<{ ask: TurnResult }>(app, token, ASK, variables)).ask;

export const turnOf = async (app: TestApp, token: string, id: string) => (await ok<{ turn: TurnResult }>(app, token, TURN, { id })).turn;

/** The turn once it has ended (the read model shows its end). */
export const finishedTurn = (app: TestApp, token: string, id: string, timeoutMs = 30_000) =>
  until(`turn ${id} ended`, async () => {
    const turn = await turnOf(app, token, id);
    return FINISHED.includes(turn.status) ? turn : undefined;
  }, timeoutMs);

export const walletOf = async (app: TestApp, token: string) => (await ok<{ wallet: WalletResult }>(app, token, WALLET)).wallet;

/** The wallet once the wallet read model shows no hold and at least `lines` ledger lines. */
export const settledWallet = (app: TestApp, token: string, lines: number) =>
  until('the wallet settled', async () => {
    const wallet = await walletOf(app, token);
    return wallet.reserved === 0 && wallet.ledger.length >= lines ? wallet : undefined;
  }, 30_000);

export const createKnowledgeBase = async (app: TestApp, token: string, name: string) =>
  (await ok<{ createKnowledgeBase: { id: string } }>(app, token, CREATE_KB, { name })).createKnowledgeBase.id;

/** The wallet lines of one turn, as kinds and amounts. */
export const linesOf = (wallet: WalletResult, turnId: string) =>
  wallet.ledger.filter((line) => line.turnId === turnId).map((line) => [line.kind, line.amount]);

export interface StubPrice {
  promptPer1k: number;
  completionPer1k: number;
}

/**
 * The embedded app answering with `model` at a local OpenAI stub server (its base URL): BM25 alone (with a model configured the
 * embedder is remote too, and the stub speaks chat only), no signup grant; `env` adds or overrides settings.
 */
export const startAppWithChatStub = (
  stubBaseUrl: string,
  model: string,
  price: StubPrice,
  env: Record<string, string> = {},
): Promise<TestApp> =>
  startTestApp({
    env: {
      OPENAI_BASE_URL: stubBaseUrl,
      OPENAI_API_KEY: 'sk-test',
      CHAT_MODEL: model,
      PRICES: JSON.stringify({ [model]: price }),
      SEARCH_DENSE_WEIGHT: '0',
      SIGNUP_GRANT: '0',
      ...env,
    },
  });
