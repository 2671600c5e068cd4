/**
 * Wallets end to end over GraphQL (HTTP and a real graphql-ws client): signup grant, admin deposits (idempotent per
 * reference), bad input, who may see which wallet, ledger paging, walletAt, and walletUpdated pushes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { register, type Session } from './identity.testing.ts';

const WALLET_FIELDS = 'userId balance reserved available';
const LINE_FIELDS = 'kind amount balanceAfter reference turnId model promptTokens completionTokens position at';
const DEPOSIT = `mutation($userId: ID!, $amount: Micros!, $reference: String!) {
  deposit(userId: $userId, amount: $amount, reference: $reference) { ${WALLET_FIELDS} } }`;
const WALLET = `query($userId: ID, $limit: Int, $after: String, $before: String, $newestFirst: Boolean) {
  wallet(userId: $userId) { ${WALLET_FIELDS} ledger(limit: $limit, after: $after, before: $before, newestFirst: $newestFirst) { ${LINE_FIELDS} } } }`;
const WALLET_AT = `query($userId: ID!, $position: String, $at: String) {
  walletAt(userId: $userId, position: $position, at: $at) { ${WALLET_FIELDS} ledger { kind amount position } } }`;
const UPDATED = `subscription { walletUpdated { ${WALLET_FIELDS} } }`;

interface WalletView {
  userId: string;
  balance: number;
  reserved: number;
  available: number;
  ledger?: Array<{ kind: string; amount: number; balanceAfter: number; reference: string | null; position: string; at: string }>;
}

const GRANT = 5000;

describe('wallet over GraphQL', () => {
  let app: TestApp;
  let admin: Session;
  let member: Session;

  beforeAll(async () => {
    app = await startTestApp({ env: { SIGNUP_GRANT: String(GRANT) } });
    admin = await register(app, 'admin@example.com');
    member = await register(app, 'member@example.com');
  }, 180_000); // a whole app and two argon2 registrations: slow when the shared machine is busy
  afterAll(async () => {
    await app?.close();
  });

  const wallet = async (token: string, variables: Record<string, unknown> = {}) => {
    const result = await app.gql<{ wallet: WalletView }>(WALLET, variables, token);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!.wallet;
  };

  it('a new user starts with the signup grant, recorded as a deposit', async () => {
    // The grant is a reaction to UserRegistered: it lands shortly after register answers.
    const deadline = Date.now() + 30_000;
    let mine = await wallet(member.accessToken);
    while (mine.balance === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      mine = await wallet(member.accessToken);
    }
    expect(mine).toMatchObject({ userId: member.user.id, balance: GRANT, reserved: 0, available: GRANT });
    expect(mine.ledger).toEqual([
      expect.objectContaining({ kind: 'deposit', amount: GRANT, balanceAfter: GRANT, reference: `signup-${member.user.id}` }),
    ]);
  });

  it('an admin deposits once per reference; the result already shows the new balance', async () => {
    const first = await app.gql<{ deposit: WalletView }>(DEPOSIT, { userId: member.user.id, amount: 2500, reference: 'invoice-1' }, admin.accessToken);
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
    expect(first.data!.deposit).toEqual({ userId: member.user.id, balance: GRANT + 2500, reserved: 0, available: GRANT + 2500 });
    const again = await app.gql<{ deposit: WalletView }>(DEPOSIT, { userId: member.user.id, amount: '2500', reference: 'invoice-1' }, admin.accessToken);
    expect(again.data!.deposit.balance).toBe(GRANT + 2500);
    const lines = (await wallet(member.accessToken)).ledger!;
    expect(lines.map((l) => [l.kind, l.amount, l.reference])).toEqual([
      ['deposit', GRANT, `signup-${member.user.id}`],
      ['deposit', 2500, 'invoice-1'],
    ]);
  });

  it('refuses members, bad amounts and unknown users with typed errors, and changes nothing', async () => {
    const before = await wallet(member.accessToken);
    const attempt = async (variables: Record<string, unknown>, token = admin.accessToken) =>
      (await app.gql(DEPOSIT, { userId: member.user.id, reference: 'x', amount: 10, ...variables }, token)).codes;
    expect(await attempt({}, member.accessToken)).toEqual(['FORBIDDEN']);
    expect(await attempt({ amount: -5 })).toEqual(['BAD_USER_INPUT']);
    expect(await attempt({ amount: 0 })).toEqual(['BAD_USER_INPUT']);
    expect(await attempt({ amount: 1.5 })).toEqual(['BAD_USER_INPUT']);
    expect(await attempt({ amount: 'ten' })).toEqual(['BAD_USER_INPUT']);
    expect(await attempt({ userId: '00000000-0000-4000-8000-000000000000' })).toEqual(['NOT_FOUND']);
    expect(await attempt({ reference: 'transfer-someone-1' })).toEqual(['BAD_USER_INPUT']); // kept for workspace fundings
    expect((await app.gql(DEPOSIT, { userId: member.user.id, reference: 'x', amount: 10 })).codes).toEqual(['UNAUTHENTICATED']);
    expect(await wallet(member.accessToken)).toEqual(before);
  });

  it('members see only their own wallet; admins any', async () => {
    expect((await app.gql(WALLET, { userId: admin.user.id }, member.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await wallet(admin.accessToken, { userId: member.user.id })).balance).toBe(GRANT + 2500);
    expect((await app.gql(WALLET, { userId: 'nobody' }, admin.accessToken)).codes).toEqual(['NOT_FOUND']);
    expect((await app.gql(WALLET, {})).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('pages the ledger by log position', async () => {
    const all = (await wallet(member.accessToken)).ledger!;
    const first = (await wallet(member.accessToken, { limit: 1 })).ledger!;
    const rest = (await wallet(member.accessToken, { limit: 10, after: first[0]!.position })).ledger!;
    expect([...first, ...rest]).toEqual(all);
    expect((await app.gql(WALLET, { after: 'yesterday' }, member.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    expect((await app.gql(WALLET, { before: 'tomorrow' }, member.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
  });

  it('pages the ledger newest first, and reads what came after the newest line seen', async () => {
    const all = (await wallet(member.accessToken)).ledger!;
    expect(all.length).toBeGreaterThanOrEqual(2);
    const newest = (await wallet(member.accessToken, { limit: 1, newestFirst: true })).ledger!;
    expect(newest).toEqual(all.slice(-1));
    const older = (await wallet(member.accessToken, { limit: 100, newestFirst: true, before: newest.at(-1)!.position })).ledger!;
    expect([...newest, ...older]).toEqual([...all].reverse());
    // Between two cursors: what a live update added after the newest line a page shows.
    const between = (await wallet(member.accessToken, { after: all[0]!.position, before: all.at(-1)!.position })).ledger!;
    expect(between).toEqual(all.slice(1, -1));
    const afterFirst = (await wallet(member.accessToken, { after: all[0]!.position })).ledger!;
    expect(afterFirst).toEqual(all.slice(1));
  });

  it('walletAt folds the stream up to a position or a time', async () => {
    const lines = (await wallet(member.accessToken)).ledger!;
    const atFirst = await app.gql<{ walletAt: WalletView }>(WALLET_AT, { userId: member.user.id, position: lines[0]!.position }, member.accessToken);
    expect(atFirst.errors).toBeUndefined();
    expect(atFirst.data!.walletAt).toMatchObject({ balance: GRANT, available: GRANT });
    expect(atFirst.data!.walletAt.ledger).toHaveLength(1);
    const before = await app.gql<{ walletAt: WalletView }>(WALLET_AT, { userId: member.user.id, at: '2000-01-01T00:00:00Z' }, admin.accessToken);
    expect(before.data!.walletAt).toMatchObject({ balance: 0, reserved: 0, ledger: [] });
    const now = await app.gql<{ walletAt: WalletView }>(WALLET_AT, { userId: member.user.id }, member.accessToken);
    expect(now.data!.walletAt.balance).toBe(GRANT + 2500);
    expect((await app.gql(WALLET_AT, { userId: member.user.id, position: 'x' }, member.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    expect((await app.gql(WALLET_AT, { userId: admin.user.id }, member.accessToken)).codes).toEqual(['FORBIDDEN']);
  });

  it('walletUpdated pushes every change of the caller\'s wallet', async () => {
    const subscription = app.subscribe<{ walletUpdated: WalletView }>(UPDATED, {}, member.accessToken);
    const other = app.subscribe<{ walletUpdated: WalletView }>(UPDATED, {}, admin.accessToken);
    // graphql-ws gives no "subscribed" acknowledgement: deposit until the first push arrives.
    let pushed: WalletView | undefined;
    for (let i = 0; !pushed && i < 20; i++) {
      await app.gql(DEPOSIT, { userId: member.user.id, amount: 100, reference: `tip-${i}` }, admin.accessToken);
      pushed = await subscription.next(500).then((r) => r.data!.walletUpdated, () => undefined);
    }
    expect(pushed).toMatchObject({ userId: member.user.id, reserved: 0 });
    await app.gql(DEPOSIT, { userId: member.user.id, amount: 7, reference: 'tip-last' }, admin.accessToken);
    const latest = await wallet(member.accessToken);
    let last = pushed!;
    while (last.balance !== latest.balance) last = (await subscription.next(5000)).data!.walletUpdated;
    expect(last).toEqual({ userId: member.user.id, balance: latest.balance, reserved: 0, available: latest.balance });
    expect(other.received).toEqual([]);
  });

  it('shows a ledger that adds up to the balance shown with it, even when a line is committed between the two reads', async () => {
    const shown = await wallet(member.accessToken);
    const last = shown.ledger!.at(-1)!;
    expect(last.balanceAfter).toBe(shown.balance);
    // The balance and the ledger are two statements: play a projection committing a line in between, a line the
    // balance read did not see (the wallet row stays as it was).
    const [commit] = last.position.split('-');
    const later = `${BigInt(commit!) + 1000n}-0`;
    const { readModels } = app.app;
    await readModels.query(
      `INSERT INTO wallet_ledger (user_id, revision, kind, amount, balance_after, reserved_after, reference, position,
                                  position_commit, position_prepare, at)
       SELECT user_id, revision + 1, 'deposit', 1, balance + 1, reserved, 'between-the-reads', $2, $3, 0, now()
         FROM wallets WHERE user_id = $1`,
      [member.user.id, later, String(BigInt(commit!) + 1000n)],
    );
    try {
      const again = await wallet(member.accessToken);
      expect(again.balance).toBe(shown.balance);
      expect(again.ledger!.map((line) => line.reference)).not.toContain('between-the-reads');
      expect(again.ledger!.at(-1)!.balanceAfter).toBe(again.balance);
    } finally {
      await readModels.query(`DELETE FROM wallet_ledger WHERE reference = 'between-the-reads'`);
    }
  });
});
