/**
 * Erasure end to end: a user who deposited, uploaded, asked and rated is deleted (deleteUser), and a document a
 * question retrieved is deleted (deleteDocument). Afterwards their personal data and text (her questions, answers,
 * comment; the document's chunks and the excerpts answers quoted) are in no read model, no audit trail and, read
 * straight from the event store, nowhere in the stored log;
 * the ledger adds up as before; and `npm run replay -- all --verify` rebuilds every read model equal to the live
 * one, still erased.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { ERASED } from '../../contracts/personal-data.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { ask, finishedTurn, ok, RATE, turnOf } from '../../query-side/resolvers/chat.testing.ts';
import { AUDIT, LOGIN, ME, PASSWORD, register, type AuditEventView, type Session } from '../../query-side/resolvers/identity.testing.ts';
import { createKnowledgeBase, upload, waitForStatus } from '../../query-side/upload/upload.testing.ts';
import { startTestApp, type TestApp } from '../testing/server.ts';

const EMAIL = 'carol.zephyrine@example.com';
const NAME = 'Carol Zephyrine';
/** A word only the deleted document has (the questions never use it). */
const DOCUMENT_WORD = 'brontolith';
/** A word only Carol's question has. */
const QUESTION_WORD = 'marzipanic';

const DELETE_USER = `mutation($id: ID!) { deleteUser(id: $id) { id email displayName role erasedAt } }`;
const DELETE_DOCUMENT = `mutation($id: ID!) { deleteDocument(id: $id) { id status } }`;
const TURN_TRAIL = `query($id: ID!) { turnTrail(turnId: $id) { charged problems } }`;
const USERS = `query($search: String) { users(search: $search) { id email } }`;
const DEPOSIT = `mutation($userId: ID!, $amount: Micros!, $reference: String!) {
  deposit(userId: $userId, amount: $amount, reference: $reference) { balance } }`;
const WALLET = `query($userId: ID) { wallet(userId: $userId) { balance reserved ledger(limit: 200) { kind amount balanceAfter } } }`;
const SEARCH = `query($kb: ID!, $q: String!) { search(knowledgeBaseId: $kb, query: $q, limit: 10) { documentId text } }`;

interface Ledger {
  balance: number;
  reserved: number;
  ledger: Array<{ kind: string; amount: number; balanceAfter: number }>;
}

/** Tables (any schema but the catalog's) with a row whose text contains `needle`, any case. */
async function tablesContaining(sql: SqlExecutor, needle: string): Promise<string[]> {
  const tables = await sql.query<{ name: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const [row] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name} t WHERE t::text ILIKE $1`, [`%${needle}%`]);
    if (row!.n > 0) found.push(name);
  }
  return found;
}

/** Balance effects of the ledger: deposits add, captures take; holds and releases move nothing. */
const ledgerSum = (wallet: Ledger) =>
  wallet.ledger.reduce((sum, line) => sum + (line.kind === 'deposit' ? line.amount : line.kind === 'capture' ? -line.amount : 0), 0);

/** `npm run replay -- …` on the app's data directory, in a process of its own; its exit code and output. */
function replay(dataDir: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  for (const name of ['EVENTSTORE_URL', 'DATABASE_URL', 'SEARCH_DATABASE_URL', 'REDIS_URL']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsx, 'ops/scripts/replay.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('erasing a user and a document', () => {
  let app: TestApp;
  let admin: Session;
  let carol: Session;
  let bob: Session;
  let carolsWallet: Ledger;
  let documentId: string;
  let turnId: string;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000', SIGNUP_GRANT: '1000000' } });
    admin = await register(app, 'admin@example.com');
    carol = await register(app, EMAIL, NAME);
    bob = await register(app, 'bob@example.com');
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  const wallet = async (userId: string) => (await ok<{ wallet: Ledger }>(app, admin.accessToken, WALLET, { userId })).wallet;
  const stored = (): Promise<RecordedEvent[]> => app.app.sealedEventStore.readAll();
  const audit = async (stream: string) =>
    (await ok<{ auditTrail: AuditEventView[] }>(app, admin.accessToken, AUDIT, { stream, limit: 1000 })).auditTrail;

  it('deleteUser erases email and name from read models, audit trail and log; the account closes; the ledger adds up', async () => {
    await ok(app, admin.accessToken, DEPOSIT, { userId: carol.user.id, amount: 5000, reference: 'top-up-1' });
    const kb = await createKnowledgeBase(app, carol, 'Carol’s notes');
    const bytes = new TextEncoder().encode('# Pumps\n\nThe pump of the fountain is serviced every autumn by the caretaker.\n');
    const { body } = await upload(app, kb, { name: 'pumps.md', bytes }, { token: carol.accessToken });
    await waitForStatus(app, carol.accessToken, body.id!, ['indexed']);
    const question = `When is the pump serviced, ${QUESTION_WORD} or not?`;
    const turn = await finishedTurn(app, carol.accessToken, (await ask(app, carol.accessToken, { kb, question })).id);
    expect(turn.status).toBe('completed');
    expect(turn.answer).toContain('caretaker');
    await ok(app, carol.accessToken, RATE, { id: turn.id, rating: 'DOWN', comment: `Too ${QUESTION_WORD}` });
    const before = await wallet(carol.user.id);
    expect(before.ledger.map((line) => line.kind)).toEqual(expect.arrayContaining(['deposit', 'reserve', 'capture']));
    expect(ledgerSum(before)).toBe(before.balance);

    expect((await app.gql(DELETE_USER, { id: carol.user.id }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await app.gql(DELETE_USER, { id: admin.user.id }, admin.accessToken)).codes).toEqual(['FORBIDDEN']);
    // Self-service: Carol erases herself.
    const erased = await ok<{ deleteUser: Record<string, unknown> }>(app, carol.accessToken, DELETE_USER, { id: carol.user.id });
    expect(erased.deleteUser).toMatchObject({ id: carol.user.id, email: ERASED, displayName: ERASED, role: 'member' });
    expect(erased.deleteUser.erasedAt).toEqual(expect.any(String));
    // Again, by an admin: nothing changes.
    expect((await ok<{ deleteUser: unknown }>(app, admin.accessToken, DELETE_USER, { id: carol.user.id })).deleteUser).toEqual(erased.deleteUser);

    // The account is closed: her access token, her password and her refresh token no longer work.
    expect((await app.gql(ME, {}, carol.accessToken)).codes).toEqual(['UNAUTHENTICATED']);
    expect((await app.gql(LOGIN, { email: EMAIL, password: PASSWORD })).codes).toEqual(['UNAUTHENTICATED']);
    expect((await ok<{ users: unknown[] }>(app, admin.accessToken, USERS, { search: 'zephyrine' })).users).toEqual([]);

    // Nothing of hers in any table of the read models or the search index: not her name, not what she asked.
    for (const needle of [EMAIL, 'Zephyrine', QUESTION_WORD]) {
      expect(await tablesContaining(app.app.readModels, needle)).toEqual([]);
      expect(await tablesContaining(app.app.searchIndex, needle)).toEqual([]);
    }
    // Nor in the stored log (read from the store itself, without the keys), data or metadata.
    const log = JSON.stringify(await stored());
    expect(log).not.toContain(EMAIL);
    expect(log).not.toMatch(/zephyrine|marzipanic/i);
    // Her conversation keeps its turns and costs, its text erased; the answer too (it quoted her document).
    const [row] = await app.app.readModels.query<{ question: string; answer: string; feedback_comment: string; cost: string }>(
      `SELECT question, answer, feedback_comment, cost FROM chat_turns WHERE id = $1`,
      [turn.id],
    );
    expect(row).toEqual({ question: ERASED, answer: ERASED, feedback_comment: ERASED, cost: expect.anything() });
    expect(Number(row!.cost)).toBe(turn.cost);
    expect(log).not.toContain(turn.answer!);
    // An admin still explains her charge from the log: the chain adds up without any of her text.
    const { turnTrail } = await ok<{ turnTrail: { charged: number; problems: string[] } }>(app, admin.accessToken, TURN_TRAIL, { id: turn.id });
    expect(turnTrail).toEqual({ charged: turn.cost, problems: [] });
    // The audit trail says who erased what and when; the registration reads as erased.
    const trail = await audit(`user-${carol.user.id}`);
    expect(JSON.parse(trail[0]!.data)).toMatchObject({ email: ERASED, displayName: ERASED });
    expect(trail.at(-1)).toMatchObject({ type: 'UserErased' });
    expect(JSON.parse(trail.at(-1)!.data)).toMatchObject({ userId: carol.user.id, erasedBy: carol.user.id });

    // Amounts are not personal data: her wallet and its ledger are as they were, and add up.
    carolsWallet = await wallet(carol.user.id);
    expect(carolsWallet).toEqual(before);
    expect(ledgerSum(carolsWallet)).toBe(carolsWallet.balance);
  });

  it('deleteDocument erases its text from the log, the search index and the turns that retrieved it', async () => {
    const kb = await createKnowledgeBase(app, admin, 'Maintenance');
    const text = `# Cooling\n\nThe ${DOCUMENT_WORD} gasket of the cooling pump is replaced every spring.\n`;
    const { body } = await upload(app, kb, { name: 'cooling.md', bytes: new TextEncoder().encode(text) }, { token: admin.accessToken });
    documentId = body.id!;
    await waitForStatus(app, admin.accessToken, documentId, ['indexed']);
    const question = 'When is the gasket of the cooling pump replaced?';
    const turn = await finishedTurn(app, admin.accessToken, (await ask(app, admin.accessToken, { kb, question })).id);
    turnId = turn.id;
    expect(turn.citations.map((citation) => citation.documentId)).toContain(documentId);
    const hits = async () =>
      (await ok<{ search: Array<{ documentId: string }> }>(app, admin.accessToken, SEARCH, { kb, q: 'gasket cooling pump' })).search;
    expect((await hits()).map((hit) => hit.documentId)).toContain(documentId);

    const deleted = await ok<{ deleteDocument: { status: string } }>(app, admin.accessToken, DELETE_DOCUMENT, { id: documentId });
    expect(deleted.deleteDocument.status).toBe('deleted');

    expect(await hits()).toEqual([]);
    const chunkRows = await app.app.searchIndex.query(`SELECT chunk_id FROM chunks WHERE document_id = $1`, [documentId]);
    expect(chunkRows).toEqual([]);
    expect(await tablesContaining(app.app.searchIndex, DOCUMENT_WORD)).toEqual([]);
    // The log keeps no clear copy of the text: not in the document's events, not in what the turn retrieved, not in
    // the excerpts its citations quote (the answer itself is sealed under its asker's key, who is not erased).
    const log = JSON.stringify(await stored());
    expect(log).not.toContain(DOCUMENT_WORD);
    const cited = (await turnOf(app, admin.accessToken, turnId)).citations.filter((citation) => citation.documentId === documentId);
    expect(cited.length).toBeGreaterThan(0);
    for (const citation of cited) expect(citation.excerpt).toBe(ERASED);
    const chunked = (await audit(`document-${documentId}`)).filter((event) => event.type === 'DocumentChunked');
    expect(chunked.length).toBeGreaterThan(0);
    for (const event of chunked) {
      for (const chunk of JSON.parse(event.data).chunks) expect(chunk).toMatchObject({ text: ERASED, headingPath: [] });
    }
    const retrieval = (await audit(`turn-${turnId}`)).find((event) => event.type === 'RetrievalCompleted')!;
    const retrieved = JSON.parse(retrieval.data).chunks.filter((chunk: { documentId: string }) => chunk.documentId === documentId);
    expect(retrieved.length).toBeGreaterThan(0);
    for (const chunk of retrieved) expect(chunk.text).toBe(ERASED);
  });

  it('npm run replay -- all --verify rebuilds every read model equal to the live one, the erased data still erased', async () => {
    await app.app.close(); // the embedded databases belong to one process at a time
    const { code, output } = await replay(app.dataDir, ['all', '--verify']);
    expect(output).not.toContain('DIFFERENT');
    expect(output).toMatch(/users: EQUAL/);
    expect(output).toMatch(/chunks: EQUAL/);
    expect(output).toMatch(/wallets: EQUAL/);
    expect(code, output).toBe(0);

    await app.restart();
    const [rebuilt] = await app.app.readModels.query<{ email: string; display_name: string }>(
      `SELECT email, display_name FROM rebuild_users.users WHERE id = $1`,
      [carol.user.id],
    );
    expect(rebuilt).toEqual({ email: ERASED, display_name: ERASED });
    for (const needle of [EMAIL, 'Zephyrine', QUESTION_WORD]) expect(await tablesContaining(app.app.readModels, needle)).toEqual([]);
    expect(await tablesContaining(app.app.searchIndex, DOCUMENT_WORD)).toEqual([]);
    expect(await wallet(carol.user.id)).toEqual(carolsWallet);
  }, 180_000);
});
