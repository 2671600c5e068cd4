/**
 * A workspace's wallet over real HTTP GraphQL in the embedded default (extractive answers, PRICES set): its owner
 * funds it from their own wallet (idempotent per reference, never beyond what they have), a VIEWER's question to
 * the workspace's knowledge base is then paid by it and its ledger line says who asked, before the first funding
 * the asker pays, and only owners (and admins) fund it or see it. Regenerated questions and questions through the
 * OpenAI-compatible endpoint are paid the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../ops/testing/document-uploads.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { ask, DEPOSIT, finishedTurn, ok, REGENERATE, type TurnResult } from './chat.testing.ts';
import { createApiKey, turnIdOf } from '../openai-compat/openai-compat.testing.ts';
import { register, type Session } from './identity.testing.ts';

const PRICE = { promptPer1k: 1000, completionPer1k: 3000 };
const WALLET_FIELDS = 'userId balance reserved available ledger(limit: 100) { kind amount balanceAfter reference turnId askedBy apiKeyId }';
const FUND = `mutation($workspaceId: ID!, $amount: Micros!, $reference: String!) {
  fundWorkspace(workspaceId: $workspaceId, amount: $amount, reference: $reference) { id myRole wallet { ${WALLET_FIELDS} } } }`;
const WORKSPACE = `query($id: ID!) { workspace(id: $id) { id wallet { ${WALLET_FIELDS} } } }`;
const CREATE_WORKSPACE = `mutation($name: String!) { createWorkspace(name: $name) { id } }`;
const ADD_MEMBER = `mutation($workspaceId: ID!, $email: String!, $role: MemberRole!) {
  addMember(workspaceId: $workspaceId, email: $email, role: $role) { id } }`;
const CREATE_KB = `mutation($name: String!, $workspaceId: ID) { createKnowledgeBase(name: $name, workspaceId: $workspaceId) { id } }`;
const MY_WALLET = `{ wallet { ${WALLET_FIELDS} } }`;

interface Line {
  kind: string;
  amount: number;
  balanceAfter: number;
  reference: string | null;
  turnId: string | null;
  askedBy: string | null;
  apiKeyId: string | null;
}
interface WalletView {
  userId: string;
  balance: number;
  reserved: number;
  available: number;
  ledger: Line[];
}

describe('workspace wallet over GraphQL', () => {
  let app: TestApp;
  let admin: Session;
  let owner: Session;
  let viewer: Session;
  let editor: Session;
  let workspaceId: string;
  let kb: string;

  const myWallet = async (session: Session) => (await ok<{ wallet: WalletView }>(app, session.accessToken, MY_WALLET)).wallet;
  const workspaceWallet = async (session: Session, id = workspaceId) =>
    (await ok<{ workspace: { wallet: WalletView | null } }>(app, session.accessToken, WORKSPACE, { id })).workspace.wallet;
  const fund = (session: Session, amount: number | string, reference: string, id = workspaceId) =>
    app.gql<{ fundWorkspace: { id: string; myRole: string; wallet: WalletView | null } }>(FUND, { workspaceId: id, amount, reference }, session.accessToken);
  const newWorkspace = async (name: string) => {
    const id = (await ok<{ createWorkspace: { id: string } }>(app, owner.accessToken, CREATE_WORKSPACE, { name })).createWorkspace.id;
    await ok(app, owner.accessToken, ADD_MEMBER, { workspaceId: id, email: 'viewer@example.com', role: 'VIEWER' });
    await ok(app, owner.accessToken, ADD_MEMBER, { workspaceId: id, email: 'editor@example.com', role: 'EDITOR' });
    const kbId = (await ok<{ createKnowledgeBase: { id: string } }>(app, owner.accessToken, CREATE_KB, { name: `${name} KB`, workspaceId: id }))
      .createKnowledgeBase.id;
    return { id, kbId };
  };
  /** The asker's wallet and the workspace's once their holds are gone and they have `lines` lines at least. */
  const settled = (read: () => Promise<WalletView | null>, lines: number) =>
    until('the wallet settled', async () => {
      const wallet = await read();
      return wallet && wallet.reserved === 0 && wallet.ledger.length >= lines ? wallet : undefined;
    }, 30_000);

  beforeAll(async () => {
    app = await startTestApp({ env: { SIGNUP_GRANT: '0', PRICES: JSON.stringify({ 'extractive-local': PRICE }) } });
    admin = await register(app, 'admin@example.com');
    owner = await register(app, 'owner@example.com');
    viewer = await register(app, 'viewer@example.com');
    editor = await register(app, 'editor@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: owner.user.id, amount: 1_000_000, reference: 'owner-funds' });
    await ok(app, admin.accessToken, DEPOSIT, { userId: viewer.user.id, amount: 1_000_000, reference: 'viewer-funds' });
    ({ id: workspaceId, kbId: kb } = await newWorkspace('Team'));
  }, 240_000);
  afterAll(async () => {
    await app?.close();
  });

  it('before the first funding the asker pays, and the workspace shows no wallet', async () => {
    expect(await workspaceWallet(owner)).toBeNull();
    const turn = await finishedTurn(app, viewer.accessToken, (await ask(app, viewer.accessToken, { kb, question: 'How do I oil the pump?' })).id);
    expect(turn.status).toBe('completed');
    const mine = await settled(() => myWallet(viewer), 3);
    expect(mine.balance).toBe(1_000_000 - turn.cost!);
    expect(mine.ledger.filter((line) => line.turnId === turn.id).map((line) => [line.kind, line.askedBy])).toEqual([
      ['reserve', viewer.user.id],
      ['capture', viewer.user.id],
    ]);
  });

  it('a non-owner member is FORBIDDEN to fund, a stranger finds no workspace, and nothing moves', async () => {
    expect((await fund(viewer, 100, 'v-1')).codes).toEqual(['FORBIDDEN']);
    expect((await fund(editor, 100, 'e-1')).codes).toEqual(['FORBIDDEN']);
    const stranger = await register(app, 'stranger@example.com');
    expect((await fund(stranger, 100, 's-1')).codes).toEqual(['NOT_FOUND']);
    expect(await workspaceWallet(owner)).toBeNull();
  });

  it('the owner funds it from their own wallet, idempotently per reference, never beyond what they have', async () => {
    const first = await fund(owner, 300_000, 'fund-1');
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
    expect(first.data!.fundWorkspace.wallet).toMatchObject({ userId: workspaceId, balance: 300_000, reserved: 0, available: 300_000 });
    expect(first.data!.fundWorkspace.wallet!.ledger).toEqual([
      expect.objectContaining({ kind: 'deposit', amount: 300_000, reference: `transfer-${owner.user.id}-fund-1`, askedBy: null }),
    ]);
    const again = await fund(owner, '300000', 'fund-1');
    expect(again.errors, JSON.stringify(again.errors)).toBeUndefined();
    expect(again.data!.fundWorkspace.wallet!.balance).toBe(300_000);
    expect((await fund(owner, 300_001, 'fund-1')).codes).toEqual(['CONFLICT']);
    expect((await fund(owner, 700_001, 'fund-2')).codes).toEqual(['INSUFFICIENT_FUNDS']);
    expect((await fund(owner, 0, 'fund-3')).codes).toEqual(['BAD_USER_INPUT']);
    expect((await fund(owner, 1.5, 'fund-3')).codes).toEqual(['BAD_USER_INPUT']);
    const mine = await myWallet(owner);
    expect(mine.balance).toBe(700_000);
    expect(mine.ledger.map((line) => [line.kind, line.amount, line.reference])).toEqual([
      ['deposit', 1_000_000, 'owner-funds'],
      ['transfer', 300_000, 'fund-1'],
    ]);
    expect((await workspaceWallet(owner))!.balance).toBe(300_000);
    // Admins see it too; the workspace's other members do not.
    expect((await workspaceWallet(admin))!.balance).toBe(300_000);
    expect(await workspaceWallet(viewer)).toBeNull();
    expect(await workspaceWallet(editor)).toBeNull();
  });

  it('a VIEWER\'s question is then paid by the workspace, and its ledger lines say who asked', async () => {
    const before = await myWallet(viewer);
    const turn = await finishedTurn(app, viewer.accessToken, (await ask(app, viewer.accessToken, { kb, question: 'When is the boiler serviced?' })).id);
    expect(turn.status).toBe('completed');
    expect(turn.cost).toBeGreaterThan(0);
    const theirs = await settled(() => workspaceWallet(owner), 3);
    expect(theirs.balance).toBe(300_000 - turn.cost!);
    expect(theirs.ledger.filter((line) => line.turnId === turn.id).map((line) => [line.kind, line.askedBy])).toEqual([
      ['reserve', viewer.user.id],
      ['capture', viewer.user.id],
    ]);
    // Regenerating goes the same way: the workspace pays again.
    const again = (await ok<{ regenerate: TurnResult }>(app, viewer.accessToken, REGENERATE, { id: turn.id })).regenerate;
    const regenerated = await finishedTurn(app, viewer.accessToken, again.id);
    expect(regenerated.status).toBe('completed');
    const after = await settled(() => workspaceWallet(owner), 5);
    expect(after.balance).toBe(300_000 - turn.cost! - regenerated.cost!);
    expect(after.ledger.filter((line) => line.turnId === again.id).map((line) => line.askedBy)).toEqual([viewer.user.id, viewer.user.id]);
    const mine = await myWallet(viewer);
    expect(mine.balance).toBe(before.balance);
    expect(mine.ledger).toHaveLength(before.ledger.length);
  });

  it('a question through the OpenAI-compatible endpoint is paid by the workspace too, its lines marked with the key and the asker', async () => {
    const before = await myWallet(viewer);
    const paidBefore = (await workspaceWallet(owner))!.balance;
    const { key, apiKey } = await createApiKey(app, viewer.accessToken, 'viewer key');
    const response = await fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: `kb:${kb}`, messages: [{ role: 'user', content: 'Is the pump oiled monthly?' }] }),
    });
    expect(response.status).toBe(200);
    const turnId = turnIdOf(((await response.json()) as { id: string }).id);
    const theirs = await until('the key\'s turn settled', async () => {
      const wallet = (await workspaceWallet(owner))!;
      return wallet.reserved === 0 && wallet.ledger.some((line) => line.turnId === turnId && line.kind === 'capture') ? wallet : undefined;
    }, 30_000);
    const lines = theirs.ledger.filter((line) => line.turnId === turnId);
    expect(lines.map((line) => [line.kind, line.askedBy, line.apiKeyId])).toEqual([
      ['reserve', viewer.user.id, apiKey.id],
      ['capture', viewer.user.id, apiKey.id],
    ]);
    expect(theirs.balance).toBe(paidBefore - lines[1]!.amount);
    expect((await myWallet(viewer)).balance).toBe(before.balance);
  });

  it('a workspace wallet that cannot cover the question rejects it with INSUFFICIENT_FUNDS; the asker pays nothing', async () => {
    const poor = await newWorkspace('Poor team');
    expect((await fund(owner, 1, 'poor-1', poor.id)).errors).toBeUndefined();
    const before = await myWallet(viewer);
    const turn = await finishedTurn(app, viewer.accessToken, (await ask(app, viewer.accessToken, { kb: poor.kbId, question: 'Anyone?' })).id);
    expect(turn).toMatchObject({ status: 'rejected', errorCode: 'INSUFFICIENT_FUNDS', cost: 0 });
    const theirs = await settled(() => workspaceWallet(owner, poor.id), 2);
    expect(theirs.balance).toBe(1);
    expect(theirs.ledger.map((line) => [line.kind, line.askedBy])).toEqual([
      ['deposit', null],
      ['decline', viewer.user.id],
    ]);
    expect((await myWallet(viewer)).balance).toBe(before.balance);
  });
});
