/**
 * Funding a workspace is two appends on two streams (the funder's transfer out, the workspace's deposit). These
 * tests kill the funding between the two and check that the reactor completes it, that completing it any number of
 * times (reactor twice, a retry of the same funding) credits the workspace once, and that the total of the two
 * wallets never changes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletCommand } from '../../contracts/wallet.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { foldEvents, handleCommand } from '../decider.ts';
import { createWorkspaceCommands } from '../workspaces/workspace-commands.ts';
import { workspaceDecider } from '../workspaces/workspace-decider.ts';
import { WalletCommandHandler } from './handler.ts';
import { walletViolations } from './invariants.ts';
import { readWalletEvents, registerTestUser } from './testing.ts';
import { createWorkspaceWalletCommands, startWorkspaceFundingReactor } from './workspace-funding.ts';
import { comparePositions } from '../../contracts/position.ts';
import { walletStream, workspaceStream } from '../../contracts/streams.ts';

async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(['pglite', 'postgres'] as const)('workspace funding on %s', (kind) => {
  let test: TestEventStore & { sql: NonNullable<TestEventStore['sql']> };

  beforeAll(async () => {
    test = await openTestEventStore(kind);
  });
  afterAll(async () => {
    await test?.close();
  });

  async function setUp() {
    const owner = randomUUID();
    await registerTestUser(test.store, owner);
    const wallets = new WalletCommandHandler(test.store);
    await wallets.execute({ type: 'Deposit', data: { userId: owner, amount: 1000, reference: 'seed' } });
    const workspaces = createWorkspaceCommands({ store: test.store, now: () => new Date(), newId: randomUUID });
    const { workspace } = await workspaces.create({ id: owner, role: 'member' }, 'Team', {});
    return { owner, wallets, workspaces, workspaceId: workspace.id };
  }

  const balances = async (owner: string, workspaceId: string) => {
    const mine = walletViolations(await readWalletEvents(test.store, owner));
    const theirs = walletViolations(await readWalletEvents(test.store, workspaceId));
    expect([...mine.violations, ...theirs.violations]).toEqual([]);
    return { owner: mine.state.balance, workspace: theirs.state.balance };
  };
  const deposits = async (workspaceId: string) =>
    (await readWalletEvents(test.store, workspaceId)).filter((event) => event.type === 'FundsDeposited');
  const walletOpen = async (workspaceId: string) => {
    const state = foldEvents(workspaceDecider, (await test.store.readStream(workspaceStream(workspaceId))).map(workspaceDecider.parseEvent));
    return state.status === 'created' && state.walletOpen;
  };

  it('moves the funds and opens the workspace wallet; a repeat changes nothing', async () => {
    const { owner, wallets, workspaces, workspaceId } = await setUp();
    const funding = createWorkspaceWalletCommands({ store: test.store, wallets, workspaces });
    const actor = { id: owner, role: 'member' as const };
    const first = await funding.fund(actor, { workspaceId, amount: 400, reference: 'f1' }, {});
    expect(first.workspace.walletOpen).toBe(true);
    expect(first.positions.length).toBe(3);
    const again = await funding.fund(actor, { workspaceId, amount: 400, reference: 'f1' }, {});
    expect(again.positions).toEqual([]);
    expect(await balances(owner, workspaceId)).toEqual({ owner: 600, workspace: 400 });
    await expect(funding.fund(actor, { workspaceId, amount: 401, reference: 'f1' }, {})).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(funding.fund(actor, { workspaceId, amount: 601, reference: 'f2' }, {})).rejects.toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect(await balances(owner, workspaceId)).toEqual({ owner: 600, workspace: 400 });
  });

  it('dies between debiting the owner and crediting the workspace: the reactor completes it, once however often it runs', async () => {
    const { owner, wallets, workspaces, workspaceId } = await setUp();
    // The process "dies" right after the transfer out is in the log: the deposit never leaves it.
    const dying = {
      async execute(command: WalletCommand) {
        if (command.type === 'Deposit') throw new Error('process died');
        return wallets.execute(command);
      },
    };
    const crashing = createWorkspaceWalletCommands({ store: test.store, wallets: dying, workspaces });
    await expect(crashing.fund({ id: owner, role: 'member' }, { workspaceId, amount: 250, reference: 'f1' }, {})).rejects.toThrow('process died');
    expect(await balances(owner, workspaceId)).toEqual({ owner: 750, workspace: 0 });
    expect(await walletOpen(workspaceId)).toBe(false);

    const start = () =>
      startWorkspaceFundingReactor({ store: test.store, wallets: new WalletCommandHandler(test.store), workspaces, sql: test.sql });
    let reactor = await start();
    await eventually(async () => (await deposits(workspaceId)).length === 1 && (await walletOpen(workspaceId)));
    await reactor.stop();
    expect(await balances(owner, workspaceId)).toEqual({ owner: 750, workspace: 250 });

    // Run twice: its checkpoint lost, the reactor handles every transfer again, and the funding is retried too.
    await test.sql.query(`DELETE FROM reactor_checkpoints WHERE reactor = 'workspace-funding'`);
    reactor = await start();
    const transferredAt = (await test.store.readStream(walletStream(owner))).find((event) => event.type === 'FundsTransferredOut')!.position;
    await eventually(async () => comparePositions(reactor.position(), transferredAt) >= 0);
    await reactor.stop();
    const retried = createWorkspaceWalletCommands({ store: test.store, wallets, workspaces });
    await retried.fund({ id: owner, role: 'member' }, { workspaceId, amount: 250, reference: 'f1' }, {});
    const credited = await deposits(workspaceId);
    expect(credited.map((event) => [event.data.amount, event.data.reference])).toEqual([[250, `transfer-${owner}-f1`]]);
    expect(await balances(owner, workspaceId)).toEqual({ owner: 750, workspace: 250 });
  });

  it('only owners (and admins) fund; members are FORBIDDEN, strangers find no workspace, and nothing moves', async () => {
    const { owner, wallets, workspaces, workspaceId } = await setUp();
    const viewer = randomUUID();
    await registerTestUser(test.store, viewer);
    await wallets.execute({ type: 'Deposit', data: { userId: viewer, amount: 1000, reference: 'seed' } });
    const addViewer = { type: 'AddMember' as const, workspaceId, userId: viewer, role: 'viewer' as const, by: { id: owner, role: 'member' as const }, now: new Date().toISOString() };
    await handleCommand(test.store, workspaceStream(workspaceId), workspaceDecider, addViewer);
    const funding = createWorkspaceWalletCommands({ store: test.store, wallets, workspaces });
    await expect(funding.fund({ id: viewer, role: 'member' }, { workspaceId, amount: 10, reference: 'v' }, {})).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(funding.fund({ id: randomUUID(), role: 'member' }, { workspaceId, amount: 10, reference: 's' }, {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await balances(viewer, workspaceId)).owner).toBe(1000);
    expect(await walletOpen(workspaceId)).toBe(false);
  });
});
