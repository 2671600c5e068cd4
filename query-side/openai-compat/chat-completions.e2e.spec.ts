/**
 * The OpenAI-compatible API end to end, with OpenAI's own npm client against the whole app (embedded default,
 * saga in process), answers coming from a real local server speaking the OpenAI protocol: answers with usage and
 * citations, streamed and not; a client that aborts mid-stream (charged only for what was generated, the turn
 * stopped); unknown, malformed and revoked keys; a key's limits (requests per minute, credits per day, also raced
 * by concurrent requests; knowledge bases); a wallet that cannot pay; bodies that are malformed or too large. The
 * wallet's ledger shows each answer charged exactly once, marked with its key.
 */
import type OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { costOf } from '../../contracts/wallet.ts';
import { documentEnd, until, uploadFile } from '../../ops/testing/document-uploads.ts';
import type { TestApp } from '../../ops/testing/server.ts';
import { createKnowledgeBase, DEPOSIT, finishedTurn, ok, startAppWithChatStub } from '../resolvers/chat.testing.ts';
import { AUDIT, register, type Session } from '../resolvers/identity.testing.ts';
import { API_KEYS, createApiKey, CREATE_API_KEY, LEDGER, openAiClient, REVOKE_API_KEY, turnIdOf } from './openai-compat.testing.ts';

const MODEL = 'stub-chat';
const PRICE = { promptPer1k: 1000, completionPer1k: 2000 };
const FUNDS = 100_000_000;
const DOC = '# Pumps\n\nCentrifugal pumps move water uphill by spinning an impeller. The impeller throws water outwards.\n';

type Ledger = { wallet: { balance: number; reserved: number; ledger: Array<{ kind: string; amount: number; turnId: string | null; apiKeyId: string | null }> } };

describe('the OpenAI-compatible API (openai npm client, OpenAI stub provider)', () => {
  let stub: OpenAiStubServer;
  let app: TestApp;
  let alice: Session;
  let bob: Session;
  let kb: string;
  let otherKb: string;
  let bobsKb: string;
  let key: { secret: string; id: string };
  let client: OpenAI;

  const ledgerOf = async (session: Session) => (await ok<Ledger>(app, session.accessToken, LEDGER)).wallet;
  /** The turn's wallet lines once its hold is settled: [kind, amount, apiKeyId]. */
  const settledLines = (session: Session, turnId: string) =>
    until(`turn ${turnId} settled in the ledger`, async () => {
      const lines = (await ledgerOf(session)).ledger.filter((line) => line.turnId === turnId);
      return lines.some((line) => line.kind === 'capture' || line.kind === 'release') ? lines.map((l) => [l.kind, l.amount, l.apiKeyId]) : undefined;
    }, 30_000);
  const post = (body: unknown, secret = key.secret, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    app = await startAppWithChatStub(stub.baseURL, MODEL, PRICE);
    const admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: FUNDS, reference: 'alice-funds' });
    kb = await createKnowledgeBase(app, alice.accessToken, 'Plant');
    otherKb = await createKnowledgeBase(app, alice.accessToken, 'Office');
    bobsKb = await createKnowledgeBase(app, bob.accessToken, 'Bob’s');
    const document = await uploadFile(app, alice.accessToken, kb, 'pumps.md', new TextEncoder().encode(DOC));
    expect((await documentEnd(app, alice.accessToken, document, 60_000)).status).toBe('indexed');
    const created = await createApiKey(app, alice.accessToken, 'CI');
    key = { secret: created.key, id: created.apiKey.id };
    client = openAiClient(app.url, key.secret);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    await stub?.close();
  });
  beforeEach(() => stub.reset());

  it('creates a key whose secret is shown once and listed by its prefix only', async () => {
    expect(key.secret).toMatch(/^ka_live_[\w-]{43}$/);
    const { apiKeys } = await ok<{ apiKeys: Array<{ id: string; prefix: string }> }>(app, alice.accessToken, API_KEYS);
    expect(apiKeys).toEqual([expect.objectContaining({ id: key.id, prefix: key.secret.slice(0, 12), revokedAt: null })]);
    expect(JSON.stringify(apiKeys)).not.toContain(key.secret.slice(12));
    // Neither the log nor the read model holds the secret.
    const events = await app.app.sealedEventStore.readAll();
    expect(JSON.stringify(events)).not.toContain(key.secret.slice(12));
    expect(JSON.stringify(await app.app.readModels.query('SELECT * FROM api_keys'))).not.toContain(key.secret.slice(12));
    // The key's stream in the audit trail: its owner's to read, the hash redacted.
    const trail = await ok<{ auditTrail: Array<{ type: string; data: string }> }>(app, alice.accessToken, AUDIT, { stream: `apikey-${key.id}` });
    expect(trail.auditTrail.map((e) => e.type)).toEqual(['ApiKeyCreated']);
    expect(JSON.parse(trail.auditTrail[0]!.data)).toMatchObject({ secretSha256: '[redacted]', prefix: key.secret.slice(0, 12) });
    expect((await app.gql(AUDIT, { stream: `apikey-${key.id}` }, bob.accessToken)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a workspace that does not exist (workspace keys: workspace-keys.e2e.spec.ts)', async () => {
    const result = await app.gql(CREATE_API_KEY, { name: 'ws', workspaceId: 'w1' }, alice.accessToken);
    expect(result.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('lists the knowledge bases the key may use as models', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual([`kb:${kb}`, `kb:${otherKb}`].sort());
  });

  it('answers with usage and citations, charged once to the owner and marked with the key', async () => {
    stub.script({ kind: 'stream', tokens: ['Pumps ', 'move ', 'water [1].'], usage: { prompt_tokens: 321, completion_tokens: 3 } });
    const before = (await ledgerOf(alice)).balance;
    const answer = await client.chat.completions.create({
      model: `kb:${kb}`,
      messages: [{ role: 'system', content: 'Answer in French.' }, { role: 'user', content: 'What do pumps do?' }],
      max_tokens: 64,
    });
    expect(answer).toMatchObject({ object: 'chat.completion', model: `kb:${kb}` });
    expect(answer.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Pumps move water [1].' } });
    expect(answer.usage).toEqual({ prompt_tokens: 321, completion_tokens: 3, total_tokens: 324 });
    const citations = (answer as unknown as { citations: Array<{ n: number; documentName: string; excerpt: string }> }).citations;
    expect(citations).toEqual([expect.objectContaining({ n: 1, documentName: 'pumps.md', excerpt: expect.stringContaining('impeller') })]);
    // The client's system prompt is not sent to the model (ours is).
    expect(JSON.stringify(stub.requests[0]!.body.messages)).not.toContain('French');

    const turnId = turnIdOf(answer.id);
    const cost = costOf(PRICE, { promptTokens: 321, completionTokens: 3 });
    expect(await settledLines(alice, turnId)).toEqual([
      ['reserve', expect.any(Number), key.id],
      ['capture', cost, key.id],
    ]);
    expect((await finishedTurn(app, alice.accessToken, turnId)).cost).toBe(cost);
    expect((await ledgerOf(alice)).balance).toBe(before - cost);
  });

  it('streams chunks, then the finishing chunk with citations, then the usage', async () => {
    stub.script({ kind: 'stream', tokens: ['Impellers ', 'spin [1].'], usage: { prompt_tokens: 200, completion_tokens: 2 } });
    const stream = await client.chat.completions.create({
      model: kb,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'How do pumps work?' }] }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Impellers spin [1].');
    const finishing = chunks.at(-2)!;
    expect(finishing.choices[0]!.finish_reason).toBe('stop');
    expect((finishing as unknown as { citations: unknown[] }).citations).toHaveLength(1);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 200, completion_tokens: 2, total_tokens: 202 } });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    const turnId = turnIdOf(chunks[0]!.id);
    expect(await settledLines(alice, turnId)).toEqual([
      ['reserve', expect.any(Number), key.id],
      ['capture', costOf(PRICE, { promptTokens: 200, completionTokens: 2 }), key.id],
    ]);
  });

  it('continues a conversation with conversation_id (its turns from the log); the client’s own history is not sent', async () => {
    stub.script({ kind: 'stream', tokens: ['Impellers [1].'], usage: { prompt_tokens: 100, completion_tokens: 2 } });
    const first = await client.chat.completions.create({ model: `kb:${kb}`, messages: [{ role: 'user', content: 'What spins in a pump?' }] });
    const conversationId = (first as unknown as { conversation_id: string }).conversation_id;
    expect(conversationId).toEqual(expect.any(String));
    stub.script({ kind: 'stream', tokens: ['Outwards.'], usage: { prompt_tokens: 150, completion_tokens: 1 } });
    await client.chat.completions.create({
      model: `kb:${kb}`,
      messages: [
        { role: 'user', content: 'A made-up earlier question' },
        { role: 'assistant', content: 'A made-up earlier answer' },
        { role: 'user', content: 'Which way does it throw water?' },
      ],
      // @ts-expect-error an extension of ours
      conversation_id: conversationId,
    });
    const sent = JSON.stringify(stub.requests[1]!.body.messages);
    expect(sent).toContain('What spins in a pump?');
    expect(sent).not.toContain('made-up');
  });

  it('a client that aborts mid-stream stops the answer: charged for what was generated, the turn stopped', async () => {
    const tokens = Array.from({ length: 60 }, (_, i) => `t${i} `);
    stub.script({ kind: 'stream', tokens, delayMs: 50 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: `kb:${kb}`, messages: [{ role: 'user', content: 'Tell me everything about pumps.' }], stream: true, max_tokens: 500 },
      { signal: controller.signal },
    );
    let id = '';
    let received = 0;
    try {
      for await (const chunk of stream) {
        id = chunk.id;
        if (chunk.choices[0]?.delta.content) received++;
        if (received === 5) controller.abort();
        // openai 6 ends the loop silently on abort: check the signal ourselves.
        if (controller.signal.aborted) break;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
    const turn = await finishedTurn(app, alice.accessToken, turnIdOf(id));
    expect(turn.status).toBe('stopped');
    expect(turn.usage!.completionTokens).toBeGreaterThanOrEqual(5);
    expect(turn.usage!.completionTokens).toBeLessThan(tokens.length);
    expect(turn.answer!.length).toBeLessThan(tokens.join('').length);
    const cost = costOf(PRICE, turn.usage!);
    expect(turn.cost).toBe(cost);
    const lines = await settledLines(alice, turn.id);
    expect(lines.filter(([kind]) => kind === 'capture')).toEqual([['capture', cost, key.id]]);
  });

  it('refuses unknown, malformed and revoked keys with 401 in OpenAI’s shape', async () => {
    const unknown = `ka_live_${'A'.repeat(43)}`;
    for (const secret of [unknown, 'sk-not-ours', alice.accessToken]) {
      await expect(openAiClient(app.url, secret).models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    }
    const noHeader = await fetch(`${app.url}/v1/models`);
    expect(noHeader.status).toBe(401);
    expect(await noHeader.json()).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', code: 'invalid_api_key', param: null } });

    const doomed = await createApiKey(app, alice.accessToken, 'doomed');
    const doomedClient = openAiClient(app.url, doomed.key);
    await doomedClient.models.list();
    const { revokeApiKey } = await ok<{ revokeApiKey: { revokedAt: string | null } }>(app, alice.accessToken, REVOKE_API_KEY, { id: doomed.apiKey.id });
    expect(revokeApiKey.revokedAt).not.toBeNull();
    await expect(doomedClient.models.list()).rejects.toMatchObject({ status: 401 });
    await expect(doomedClient.chat.completions.create({ model: `kb:${kb}`, messages: [{ role: 'user', content: 'q' }] })).rejects.toMatchObject({ status: 401 });
    // Someone else may not revoke it.
    const other = await createApiKey(app, alice.accessToken, 'other');
    const refused = await app.gql(REVOKE_API_KEY, { id: other.apiKey.id }, bob.accessToken);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a key over its requests per minute gets 429 with Retry-After', async () => {
    const limited = await createApiKey(app, alice.accessToken, 'slow', { requestsPerMinute: 2 });
    const limitedClient = openAiClient(app.url, limited.key);
    await limitedClient.models.list();
    await limitedClient.models.list();
    await expect(limitedClient.models.list()).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    const raw = await fetch(`${app.url}/v1/models`, { headers: { authorization: `Bearer ${limited.key}` } });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await raw.json()).toEqual({ error: { message: expect.stringContaining('2 requests per minute'), type: 'requests', code: 'rate_limit_exceeded', param: null } });
    // Other keys are not held back by it.
    await client.models.list();
  });

  it('credits per day: racing requests never spend past the limit; over it is 429 until the next UTC day', async () => {
    const question = { model: `kb:${kb}`, messages: [{ role: 'user' as const, content: 'What moves water?' }], max_tokens: 100 };
    // The hold one such question asks for (its worst case), learnt from one asked with the unlimited key.
    stub.script({ kind: 'stream', tokens: ['Pumps [1].'], usage: { prompt_tokens: 300, completion_tokens: 2 } });
    const probe = await client.chat.completions.create(question);
    const hold = (await settledLines(alice, turnIdOf(probe.id))).find(([kind]) => kind === 'reserve')![1] as number;
    const limit = Math.floor(2.5 * hold);
    const capped = await createApiKey(app, alice.accessToken, 'capped', { creditsPerDay: limit });
    const cappedClient = openAiClient(app.url, capped.key);
    for (let i = 0; i < 8; i++) stub.script({ kind: 'stream', tokens: ['Pumps [1].'], usage: { prompt_tokens: 300, completion_tokens: 2 }, delayMs: 100 });
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => cappedClient.chat.completions.create(question)));
    const answered = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as { status: number; code: string; headers: Headers });
    // Two worst cases fit in 2.5: at most two are admitted at once, whatever the race.
    expect(answered.length).toBeGreaterThanOrEqual(1);
    expect(answered.length).toBeLessThanOrEqual(2);
    expect(refused.every((e) => e.status === 429 && e.code === 'credits_per_day_exceeded')).toBe(true);
    const secondsLeft = Number(refused[0]!.headers.get('retry-after'));
    expect(secondsLeft).toBeGreaterThan(0);
    expect(secondsLeft).toBeLessThanOrEqual(86_400);
    const charged = async () =>
      (await ledgerOf(alice)).ledger.filter((l) => l.apiKeyId === capped.apiKey.id && l.kind === 'capture').reduce((sum, l) => sum + l.amount, 0);
    await until('the capped key’s answers settled', async () => ((await ledgerOf(alice)).reserved === 0 ? true : undefined), 30_000);
    expect(await charged()).toBeLessThanOrEqual(limit);
    expect(await charged()).toBe(answered.length * costOf(PRICE, { promptTokens: 300, completionTokens: 2 }));
  });

  it('a key narrowed to knowledge bases refuses the others; nobody reaches another owner’s', async () => {
    const narrow = await createApiKey(app, alice.accessToken, 'plant only', { knowledgeBaseIds: [kb] });
    const narrowClient = openAiClient(app.url, narrow.key);
    expect((await narrowClient.models.list()).data.map((m) => m.id)).toEqual([`kb:${kb}`]);
    await expect(narrowClient.chat.completions.create({ model: `kb:${otherKb}`, messages: [{ role: 'user', content: 'q' }] })).rejects.toMatchObject({
      status: 403,
      code: 'model_not_allowed',
    });
    for (const model of [`kb:${bobsKb}`, 'kb:00000000-0000-0000-0000-000000000000']) {
      await expect(client.chat.completions.create({ model, messages: [{ role: 'user', content: 'q' }] })).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    }
    const foreign = await app.gql(CREATE_API_KEY, { name: 'x', knowledgeBaseIds: [bobsKb] }, alice.accessToken);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('a wallet that cannot pay is 402 insufficient_quota, nothing charged', async () => {
    const bobs = await createApiKey(app, bob.accessToken, 'broke');
    await expect(
      openAiClient(app.url, bobs.key).chat.completions.create({ model: `kb:${bobsKb}`, messages: [{ role: 'user', content: 'q' }], stream: true }),
    ).rejects.toMatchObject({ status: 402, code: 'insufficient_quota' });
    expect((await ledgerOf(bob)).ledger.filter((l) => l.kind === 'capture')).toEqual([]);
  });

  it('refuses malformed, oversized and unsupported bodies in OpenAI’s shape', async () => {
    const cases: Array<[unknown, number, RegExp]> = [
      ['{"model": "kb:x", "messages": [', 400, /JSON/i],
      [{ model: `kb:${kb}`, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x' } }] }] }, 400, /image_url/],
      [{ model: `kb:${kb}`, messages: [{ role: 'user', content: { nested: true } }] }, 400, /content/],
      [{ model: `kb:${kb}`, messages: [{ role: 'user', content: 'x'.repeat(5000) }] }, 400, /longer than 4000/],
      [{ model: `kb:${kb}`, messages: Array.from({ length: 2000 }, () => ({ role: 'user', content: 'q' })) }, 400, /at most 1000/],
      [{ model: `kb:${kb}`, messages: [{ role: 'user', content: 'q'.repeat(2 * 1024 * 1024) }] }, 413, /too large/],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      const { error } = (await response.json()) as { error: { message: string; type: string; code: string } };
      expect(error.message).toMatch(message);
      expect(error.type).toBe('invalid_request_error');
    }
  });
});
