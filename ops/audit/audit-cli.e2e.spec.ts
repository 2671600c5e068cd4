/**
 * `npm run audit` on a running embedded system (PGlite; the model is a local server speaking the OpenAI protocol):
 * random turns run through the real billing saga, some completed, stopped, failed or rejected, and the chain the CLI
 * prints for each, read through the running server as the embedded default must be, explains that turn's wallet
 * ledger line from the log alone: what was captured is the printed usage at the printed price, within the printed
 * hold; a released or declined hold charged nothing. The wallet and document commands, the owner's own access, and
 * reading the embedded files directly once the server has stopped.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStubServer, type OpenAiStubServer, type StubBehaviour } from '../../command-side/turns/generation/testing/openai-stub-server.ts';
import { ask, createKnowledgeBase, DEPOSIT, finishedTurn, ok, STOP, type TurnResult } from '../../query-side/resolvers/chat.testing.ts';
import { PASSWORD, register, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { documentEnd, until, uploadFile } from '../testing/document-uploads.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';
import { runAudit } from './run-audit.ts';

const MODEL = 'stub-chat';
const PRICE = { promptPer1k: 1000, completionPer1k: 2000 };
const FUNDS = 300_000;
const MANUAL = 'Pump maintenance.\n\nOil the pump every month with light machine oil.\n\nA pump moves water uphill through the main pipe.';
const OUTCOMES = ['completed', 'stopped', 'failed', 'rejected'] as const;
type Outcome = (typeof OUTCOMES)[number];

const SEED = Number(process.env.AUDIT_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** mulberry32: the turns follow from SEED, printed in the test's name to replay a failure. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

interface LedgerLine {
  kind: string;
  amount: number;
  balanceAfter: number;
  turnId: string | null;
  position: string;
}
const LEDGER = `{ wallet { balance reserved available ledger(limit: 100) { kind amount balanceAfter turnId position } } }`;
const WALLET_AT = `query($userId: ID!, $position: String) { walletAt(userId: $userId, position: $position) { balance reserved available } }`;
const TRAIL = `query($id: ID!) { turn(id: $id) { trail { events { position type } charged problems } } }`;

interface Trail {
  events: Array<{ position: string; type: string }>;
  charged: number;
  problems: string[];
}

/** What the CLI printed: its exit code, lines and error lines. */
async function audit(argv: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAudit(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

/** The printed line of an event type (its third column), and the numbers a pattern takes from it. */
function printed(lines: string[], type: string): string | undefined {
  return lines.find((line) => line.split(/\s+/)[3] === type);
}
/** The printed chain as "position Type", one per event (detail lines are indented). */
const chainOf = (lines: string[]) =>
  lines.filter((line) => /^\d+-\d+ /.test(line)).map((line) => line.split(/\s+/)).map(([position, , , type]) => `${position} ${type}`);

function numbers(line: string | undefined, pattern: RegExp): number[] {
  const match = line === undefined ? null : pattern.exec(line);
  if (!match) throw new Error(`${pattern} not in ${line}`);
  return match.slice(1).map(Number);
}

describe(`npm run audit on a running embedded system (seed ${SEED})`, () => {
  const next = random(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  let stub: OpenAiStubServer;
  let app: TestApp;
  let serverStopped = false;
  let admin: Session;
  let alice: Session;
  let bob: Session;
  let kb: string;
  let documentId: string;
  const turns: Array<{ outcome: Outcome; turn: TurnResult }> = [];
  /** The CLI's environment on this machine: the server's settings, no EVENTSTORE_URL (the embedded default). */
  let env: (extra?: Record<string, string>) => Record<string, string>;

  beforeAll(async () => {
    stub = await startOpenAiStubServer();
    app = await startTestApp({
      env: {
        OPENAI_BASE_URL: stub.baseURL,
        OPENAI_API_KEY: 'sk-test',
        CHAT_MODEL: MODEL,
        PRICES: JSON.stringify({ [MODEL]: PRICE }),
        SEARCH_DENSE_WEIGHT: '0',
        SIGNUP_GRANT: '0',
        CHAT_MAX_OUTPUT_TOKENS: '1000000',
      },
    });
    admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: FUNDS, reference: 'alice-funds' });
    kb = await createKnowledgeBase(app, alice.accessToken, 'Plant');
    documentId = await uploadFile(app, alice.accessToken, kb, 'plant.txt', new TextEncoder().encode(MANUAL));
    expect((await documentEnd(app, alice.accessToken, documentId, 120_000)).status).toBe('indexed');
    const { port } = new URL(app.url);
    env = (extra = {}) => ({ HOST: '127.0.0.1', PORT: port, DATA_DIR: app.dataDir, LOG_LEVEL: 'silent', ...extra });

    // Every outcome once and two more at random, in a random order; some questions follow up on the one before.
    const plan: Outcome[] = [...OUTCOMES, pick(OUTCOMES), pick(OUTCOMES)].sort(() => next() - 0.5);
    let conversationId: string | undefined;
    for (const outcome of plan) {
      stub.reset();
      const maxTokens = outcome === 'rejected' ? FUNDS : 16 + Math.floor(next() * 500);
      if (outcome === 'completed') {
        // The first completed answer reports more tokens than its hold allows (the charge is capped at the hold), the
        // others up to 6,000 prompt tokens: at times more than the prompt estimate (~3,500 here) too.
        const capped = !turns.some((done) => done.outcome === 'completed');
        const usage = { prompt_tokens: (capped ? 10_000 : 1) + Math.floor(next() * 6000), completion_tokens: 1 + Math.floor(next() * 300) };
        stub.script({ kind: 'stream', tokens: ['Oil ', 'it ', 'monthly.'], usage });
      }
      if (outcome === 'stopped') stub.script({ kind: 'stream', tokens: Array.from({ length: 300 }, (_, i) => `word${i} `), delayMs: 20 });
      if (outcome === 'failed') {
        stub.script(pick<StubBehaviour>([{ kind: 'status', status: 400 }, { kind: 'stream', tokens: ['Oil ', 'it ', 'monthly.'], dieAfter: 2 }]));
      }
      const followUp = conversationId !== undefined && next() < 0.4;
      const asked = await ask(app, alice.accessToken, {
        kb,
        question: `How often is the pump oiled? (${outcome})`,
        maxTokens,
        ...(followUp && { conversationId }),
      });
      if (outcome === 'stopped') {
        await until('the first tokens', async () => (stub.requests[0]?.firstTokenAt ? true : undefined), 30_000);
        await new Promise((resolve) => setTimeout(resolve, 100 + next() * 200));
        await ok(app, alice.accessToken, STOP, { id: asked.id });
      }
      const turn = await finishedTurn(app, alice.accessToken, asked.id);
      expect(turn.status, `${outcome}: ${turn.error}`).toBe(outcome);
      turns.push({ outcome, turn });
      conversationId = turn.conversationId;
    }
  }, 300_000);

  afterAll(async () => {
    if (serverStopped) await rm(app.dataDir, { recursive: true, force: true });
    else await app?.close();
    await stub?.close();
  });

  const ledgerOf = async () => {
    const { wallet } = await ok<{ wallet: { balance: number; reserved: number; available: number; ledger: LedgerLine[] } }>(app, alice.accessToken, LEDGER);
    return wallet;
  };

  it('prints for every turn a chain that adds up to its wallet ledger line', async () => {
    const { ledger } = await until('every hold closed in the ledger', async () => {
      const wallet = await ledgerOf();
      // The deposit, then a hold and its capture or release per turn, or one declined hold.
      const lines = 1 + turns.reduce((sum, { outcome }) => sum + (outcome === 'rejected' ? 1 : 2), 0);
      return wallet.reserved === 0 && wallet.ledger.length >= lines ? wallet : undefined;
    }, 30_000);
    for (const { outcome, turn } of turns) {
      const { code, out, err } = await audit(['turn', turn.id], env({ AUDIT_TOKEN: admin.accessToken }));
      expect(err, outcome).toEqual([]);
      expect(code, out.join('\n')).toBe(0);
      expect(out[0]).toContain(`turn ${turn.id}: ${outcome}`);
      expect(printed(out, 'TurnStarted')).toContain('question "How often is the pump oiled?');

      const [promptPer1k, completionPer1k, asked] = numbers(printed(out, 'TurnStarted'), /at (\d+) \/ (\d+) per 1,000 .* hold asked (\d+)/);
      const lines = ledger.filter((line) => line.turnId === turn.id);
      const capture = lines.find((line) => line.kind === 'capture');
      if (capture) {
        // Captured: the printed usage at the printed price, never above the printed hold, is the ledger's amount.
        const [hold] = numbers(printed(out, 'FundsReserved'), /hold (\d+)/);
        const [prompt, completion] = numbers(printed(out, 'AnswerCompleted') ?? printed(out, 'AnswerStopped'), / (\d+) prompt \+ (\d+) completion tokens/);
        const cost = Math.ceil((prompt! * promptPer1k! + completion! * completionPer1k!) / 1000);
        expect(capture.amount, out.join('\n')).toBe(Math.min(cost, hold!));
        const [charged] = numbers(printed(out, 'FundsCaptured'), /charged (\d+)/);
        expect(charged).toBe(capture.amount);
        expect(out.find((line) => line.includes('wallet-') && line.includes('FundsCaptured'))).toMatch(new RegExp(`^${capture.position} `));
        expect(['completed', 'stopped']).toContain(outcome);
      } else {
        // Released or declined: nothing charged, and the chain shows why.
        expect(printed(out, 'FundsCaptured')).toBeUndefined();
        expect(lines.map((line) => line.kind)).toEqual(outcome === 'rejected' ? ['decline'] : ['reserve', 'release']);
        expect(numbers(printed(out, outcome === 'rejected' ? 'ReservationDeclined' : 'FundsReleased'), /(?:hold of|released) (\d+)/)[0]).toBe(
          outcome === 'rejected' ? asked : lines[0]!.amount,
        );
        expect(out.at(-1)).toMatch(/^charge: 0, the hold of \d+ was (released|declined)$/);
      }
      // The same chain as Turn.trail in GraphQL, which the asker reads.
      const { trail } = (await ok<{ turn: { trail: Trail } }>(app, alice.accessToken, TRAIL, { id: turn.id })).turn;
      expect(chainOf(out)).toEqual(trail.events.map((event) => `${event.position} ${event.type}`));
      expect(trail).toMatchObject({ charged: capture?.amount ?? 0, problems: [] });
    }
  });

  it('prints the wallet with the balance after each event, and as of any of its positions like walletAt', async () => {
    const wallet = await ledgerOf();
    const { code, out } = await audit(['wallet', alice.user.id], env({ AUDIT_TOKEN: admin.accessToken }));
    expect(code, out.join('\n')).toBe(0);
    const events = out.filter((line) => /^\d+-\d+ /.test(line));
    // One line per ledger line, in the same order, each with the balance after it.
    expect(events.map((line) => line.split(/\s+/)[0])).toEqual(wallet.ledger.map((line) => line.position));
    expect(events.map((line) => numbers(line, /-> balance (\d+)/)[0])).toEqual(wallet.ledger.map((line) => line.balanceAfter));
    expect(out.at(-1)).toBe(`now: balance ${wallet.balance}, reserved ${wallet.reserved}, available ${wallet.available}`);

    const hold = wallet.ledger.find((line) => line.kind === 'reserve')!;
    const { walletAt } = await ok<{ walletAt: { balance: number; reserved: number; available: number } }>(app, admin.accessToken, WALLET_AT, {
      userId: alice.user.id,
      position: hold.position,
    });
    const asOf = await audit(['wallet', alice.user.id, '--at', hold.position], env({ AUDIT_TOKEN: admin.accessToken }));
    expect(asOf.out.filter((line) => /^\d+-\d+ /.test(line)).at(-1)).toMatch(new RegExp(`^${hold.position} `));
    expect(asOf.out.at(-1)).toBe(
      `as of position ${hold.position} (its last event at ${hold.position}): balance ${walletAt.balance}, reserved ${walletAt.reserved}, available ${walletAt.available}`,
    );
    expect(walletAt.reserved).toBeGreaterThan(0);
  });

  it('prints the document\'s events in order with the status each leaves it in', async () => {
    const { code, out } = await audit(['document', documentId], env({ AUDIT_TOKEN: alice.accessToken }));
    expect(code).toBe(0);
    const events = out.filter((line) => /^\d+-\d+ /.test(line));
    expect(events[0]).toMatch(/DocumentUploaded +revision 1: "plant.txt" uploaded by user .* -> uploaded$/);
    expect(events.at(-1)).toMatch(/DocumentIndexed +revision 1: indexed: \d+ chunks, embedding model none -> indexed$/);
    expect(events.map((line) => line.split(/\s+/)[3])).toEqual(['DocumentUploaded', 'DocumentParsingStarted', 'DocumentParsed', 'DocumentChunked', 'ChunksEmbedded', 'DocumentIndexed']);
  });

  it('lets a user audit their own turn with their email and password, and no one else\'s', async () => {
    const { turn } = turns[0]!;
    const own = await audit(['turn', turn.id], env({ AUDIT_EMAIL: 'alice@example.com', AUDIT_PASSWORD: PASSWORD }));
    expect(own.code).toBe(0);
    const other = await audit(['turn', turn.id], env({ AUDIT_EMAIL: 'bob@example.com', AUDIT_PASSWORD: PASSWORD }));
    expect(other).toMatchObject({ code: 2, out: [] });
    expect(other.err.join('\n')).toContain('FORBIDDEN');
    expect(bob.user.id).not.toBe(alice.user.id);
    expect(await audit(['turn', 'no-such-turn'], env({ AUDIT_TOKEN: admin.accessToken }))).toMatchObject({ code: 1, err: ['no turn no-such-turn in the log'] });
  });

  it('says what to do when no server answers or no credentials are given', async () => {
    const { turn } = turns[0]!;
    const noServer = await audit(['turn', turn.id], env({ PORT: '1', AUDIT_TOKEN: admin.accessToken }));
    expect(noServer.code).toBe(2);
    expect(noServer.err.join('\n')).toMatch(/no server answers at http:\/\/127\.0\.0\.1:1 .*--direct/);
    const noCredentials = await audit(['turn', turn.id], env());
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.err.join('\n')).toContain('AUDIT_TOKEN');
  });

  it('reads the embedded files directly once the server has stopped, and prints the same', async () => {
    const { turn } = pick(turns);
    const throughServer = await audit(['turn', turn.id], env({ AUDIT_TOKEN: admin.accessToken }));
    await app.app.close();
    serverStopped = true;
    const direct = await audit(['turn', turn.id, '--direct'], env());
    expect(direct).toEqual(throughServer);
  });
});
