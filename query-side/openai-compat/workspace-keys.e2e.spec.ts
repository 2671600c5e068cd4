/**
 * Workspace API keys end to end, over real HTTP (GraphQL, and OpenAI's npm client on /v1) against the whole app:
 * only an OWNER of the workspace creates, lists and revokes its keys (editors and viewers FORBIDDEN, non-members
 * NOT_FOUND); the key reaches only the workspace's knowledge bases (/v1/models lists them, any other is 403 in
 * OpenAI's shape) and asks as its creator; another owner revokes it and it is refused (401) at once; it stops (401)
 * when its creator is no longer an OWNER of the workspace.
 */
import type OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { until } from '../../ops/testing/document-uploads.ts';
import type { TestApp } from '../../ops/testing/server.ts';
import { createKnowledgeBase, DEPOSIT, finishedTurn, ok, startAppWithChatStub } from '../resolvers/chat.testing.ts';
import { register, type Session } from '../resolvers/identity.testing.ts';
import {
  ADD_MEMBER,
  API_KEYS,
  CREATE_API_KEY,
  createApiKey,
  createWorkspace,
  createWorkspaceKnowledgeBase,
  LEDGER,
  openAiClient,
  REVOKE_API_KEY,
  turnIdOf,
} from './openai-compat.testing.ts';

const PRICE = { promptPer1k: 1000, completionPer1k: 2000 };

type Listed = { apiKeys: Array<{ id: string; workspaceId: string | null; revokedAt: string | null }> };

describe('workspace API keys (GraphQL and the openai npm client over HTTP)', () => {
  let stub: OpenAiStubServer;
  let app: TestApp;
  let alice: Session;
  let olga: Session;
  let ed: Session;
  let vic: Session;
  let mallory: Session;
  let team: string;
  let teamKb: string;
  let teamKb2: string;
  let alicesKb: string;
  let mallorysKb: string;
  let key: { secret: string; id: string };
  let client: OpenAI;

  const codeOf = async (query: string, variables: Record<string, unknown>, session: Session) =>
    (await app.gql(query, variables, session.accessToken)).errors?.[0]?.extensions?.code;
  const question = (kb: string) => ({ model: `kb:${kb}`, messages: [{ role: 'user' as const, content: 'What is in here?' }], max_tokens: 32 });

  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    app = await startAppWithChatStub(stub.baseURL, 'stub-chat', PRICE);
    const admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    olga = await register(app, 'olga@example.com');
    ed = await register(app, 'ed@example.com');
    vic = await register(app, 'vic@example.com');
    mallory = await register(app, 'mallory@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: 100_000_000, reference: 'alice-funds' });
    team = await createWorkspace(app, alice.accessToken, 'Team', [
      ['olga@example.com', 'OWNER'],
      ['ed@example.com', 'EDITOR'],
      ['vic@example.com', 'VIEWER'],
    ]);
    teamKb = await createWorkspaceKnowledgeBase(app, alice.accessToken, team, 'Team handbook');
    teamKb2 = await createWorkspaceKnowledgeBase(app, ed.accessToken, team, 'Team notes');
    alicesKb = await createKnowledgeBase(app, alice.accessToken, 'Alice’s own');
    const malloryTeam = await createWorkspace(app, mallory.accessToken, 'Elsewhere');
    mallorysKb = await createWorkspaceKnowledgeBase(app, mallory.accessToken, malloryTeam, 'Mallory’s');
    const created = await createApiKey(app, alice.accessToken, 'Team CI', { workspaceId: team });
    key = { secret: created.key, id: created.apiKey.id };
    client = openAiClient(app.url, key.secret);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });
  beforeEach(() => stub.reset());

  it('an owner creates a workspace key, listed for the workspace’s owners, not among the creator’s personal keys', async () => {
    const forAlice = await ok<Listed>(app, alice.accessToken, API_KEYS, { workspaceId: team });
    expect(forAlice.apiKeys).toEqual([expect.objectContaining({ id: key.id, workspaceId: team, revokedAt: null })]);
    expect((await ok<Listed>(app, olga.accessToken, API_KEYS, { workspaceId: team })).apiKeys.map((k) => k.id)).toEqual([key.id]);
    expect((await ok<Listed>(app, alice.accessToken, API_KEYS)).apiKeys).toEqual([]);
  });

  it('editors and viewers are FORBIDDEN to create or list its keys; non-members get NOT_FOUND', async () => {
    for (const session of [ed, vic]) {
      expect(await codeOf(CREATE_API_KEY, { name: 'x', workspaceId: team }, session)).toBe('FORBIDDEN');
      expect(await codeOf(API_KEYS, { workspaceId: team }, session)).toBe('FORBIDDEN');
    }
    expect(await codeOf(CREATE_API_KEY, { name: 'x', workspaceId: team }, mallory)).toBe('NOT_FOUND');
    expect(await codeOf(API_KEYS, { workspaceId: team }, mallory)).toBe('NOT_FOUND');
    // Nor may an owner narrow a workspace key to a knowledge base outside the workspace.
    for (const kb of [alicesKb, mallorysKb]) {
      expect(await codeOf(CREATE_API_KEY, { name: 'x', workspaceId: team, knowledgeBaseIds: [kb] }, alice)).toBe('FORBIDDEN');
    }
  });

  it('/v1/models lists only the workspace’s knowledge bases (narrowed to the key’s list when it has one)', async () => {
    expect((await client.models.list()).data.map((m) => m.id).sort()).toEqual([`kb:${teamKb}`, `kb:${teamKb2}`].sort());
    const narrow = await createApiKey(app, olga.accessToken, 'handbook only', { workspaceId: team, knowledgeBaseIds: [teamKb] });
    expect(narrow.apiKey.workspaceId).toBe(team);
    expect((await openAiClient(app.url, narrow.key).models.list()).data.map((m) => m.id)).toEqual([`kb:${teamKb}`]);
  });

  it('asks a workspace knowledge base as its creator; any other knowledge base is 403 in OpenAI’s shape', async () => {
    stub.script({ kind: 'stream', tokens: ['Nothing ', 'yet.'], usage: { prompt_tokens: 50, completion_tokens: 2 } });
    const answer = await client.chat.completions.create(question(teamKb));
    expect(answer.choices[0]!.message.content).toBe('Nothing yet.');
    // The turn is the creator's: alice reads it; it is paid and marked with the key.
    const turn = await finishedTurn(app, alice.accessToken, turnIdOf(answer.id));
    expect(turn.status).toBe('completed');
    // The wallet's read model shows the turn's lines a moment after the turn reads as completed: wait for its capture.
    const lines = await until('the turn\'s capture line', async () => {
      const { wallet } = await ok<{ wallet: { ledger: Array<{ kind: string; turnId: string | null; apiKeyId: string | null }> } }>(app, alice.accessToken, LEDGER);
      const ofTurn = wallet.ledger.filter((line) => line.turnId === turn.id);
      return ofTurn.some((line) => line.kind === 'capture') ? ofTurn : undefined;
    }, 30_000);
    expect(lines.map((line) => line.kind)).toEqual(['reserve', 'capture']);
    expect(lines.every((line) => line.apiKeyId === key.id)).toBe(true);

    for (const kb of [alicesKb, mallorysKb, '00000000-0000-0000-0000-000000000000']) {
      await expect(client.chat.completions.create(question(kb))).rejects.toMatchObject({ status: 403, code: 'model_not_allowed', type: 'invalid_request_error' });
    }
    const raw = await fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(question(alicesKb)),
    });
    expect(raw.status).toBe(403);
    expect(await raw.json()).toEqual({ error: { message: expect.stringContaining(alicesKb), type: 'invalid_request_error', code: 'model_not_allowed', param: null } });
    expect(stub.requests).toHaveLength(1);
  });

  it('another owner revokes it: refused with 401 at once; editors may not revoke', async () => {
    const doomed = await createApiKey(app, alice.accessToken, 'doomed', { workspaceId: team });
    const doomedClient = openAiClient(app.url, doomed.key);
    await doomedClient.models.list();
    expect(await codeOf(REVOKE_API_KEY, { id: doomed.apiKey.id }, ed)).toBe('FORBIDDEN');
    const { revokeApiKey } = await ok<{ revokeApiKey: { revokedAt: string | null } }>(app, olga.accessToken, REVOKE_API_KEY, { id: doomed.apiKey.id });
    expect(revokeApiKey.revokedAt).not.toBeNull();
    await expect(doomedClient.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    await expect(doomedClient.chat.completions.create(question(teamKb))).rejects.toMatchObject({ status: 401 });
    const listed = await ok<Listed>(app, alice.accessToken, API_KEYS, { workspaceId: team });
    expect(listed.apiKeys.find((k) => k.id === doomed.apiKey.id)?.revokedAt).not.toBeNull();
  });

  it('stops (401) once its creator is no longer an OWNER of the workspace; works again if made OWNER again', async () => {
    const olgas = await createApiKey(app, olga.accessToken, 'olga’s', { workspaceId: team });
    await ok(app, olga.accessToken, ADD_MEMBER, { workspaceId: team, email: 'alice@example.com', role: 'EDITOR' });
    await expect(client.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key', message: expect.stringContaining('no longer an owner') });
    // The other owner's key goes on.
    expect((await openAiClient(app.url, olgas.key).models.list()).data).toHaveLength(2);
    await ok(app, olga.accessToken, ADD_MEMBER, { workspaceId: team, email: 'alice@example.com', role: 'OWNER' });
    expect((await client.models.list()).data).toHaveLength(2);
  });
});
