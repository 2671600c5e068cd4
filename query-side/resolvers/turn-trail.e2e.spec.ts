/**
 * Turn.trail over real HTTP GraphQL in the embedded default (extractive answers): the asker reads the chain behind a
 * turn's wallet line, and it names the document revision each retrieved chunk came from, so an answer given before
 * a re-index still shows the text it was built from. Others never reach the turn.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costOf } from '../../contracts/wallet.ts';
import { documentEnd, until, uploadFile } from '../../ops/testing/document-uploads.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { ask, createKnowledgeBase, DEPOSIT, finishedTurn, ok } from './chat.testing.ts';
import { register, type Session } from './identity.testing.ts';

const PRICE = { promptPer1k: 1000, completionPer1k: 3000 };
const MANUAL = 'Pump maintenance.\n\nOil the pump every month with light machine oil.\n\nThe boiler needs a yearly service.';

const TRAIL_FIELDS = `events { position stream revision type at amount }
  model price { promptPer1k completionPer1k } hold
  retrieved { n documentId documentName revision chunkId score }
  usage { model promptTokens completionTokens } usageCost settlement expected charged problems`;
const TRAIL = `query($id: ID!) { turn(id: $id) { id cost usage { model promptTokens completionTokens } trail { ${TRAIL_FIELDS} } } }`;
const TURN_TRAIL = `query($id: ID!) { turnTrail(turnId: $id) { ${TRAIL_FIELDS} } }`;
const LEDGER = `{ wallet { ledger(limit: 100) { kind amount turnId position } } }`;
const REINDEX = `mutation($id: ID!) { reindexDocument(id: $id) { revision } }`;

interface Trail {
  events: Array<{ position: string; stream: string; revision: number; type: string; at: string; amount: number | null }>;
  model: string;
  price: { promptPer1k: number; completionPer1k: number };
  hold: number;
  retrieved: Array<{ n: number; documentId: string; documentName: string; revision: number; chunkId: string; score: number }>;
  usage: { model: string; promptTokens: number; completionTokens: number } | null;
  usageCost: number | null;
  settlement: string | null;
  expected: number | null;
  charged: number | null;
  problems: string[];
}

describe('Turn.trail', () => {
  let app: TestApp;
  let admin: Session;
  let alice: Session;
  let bob: Session;
  let kb: string;
  let documentId: string;

  const trailOf = async (token: string, id: string) => (await ok<{ turn: { trail: Trail } }>(app, token, TRAIL, { id })).turn.trail;

  beforeAll(async () => {
    app = await startTestApp({ env: { SIGNUP_GRANT: '0', PRICES: JSON.stringify({ 'extractive-local': PRICE }) } });
    admin = await register(app, 'admin@example.com');
    alice = await register(app, 'alice@example.com');
    bob = await register(app, 'bob@example.com');
    await ok(app, admin.accessToken, DEPOSIT, { userId: alice.user.id, amount: 1_000_000, reference: 'alice-funds' });
    kb = await createKnowledgeBase(app, alice.accessToken, 'Plant');
    documentId = await uploadFile(app, alice.accessToken, kb, 'plant.txt', new TextEncoder().encode(MANUAL));
    expect((await documentEnd(app, alice.accessToken, documentId, 120_000)).status).toBe('indexed');
  }, 240_000);
  afterAll(async () => {
    await app?.close();
  });

  it('explains the turn\'s ledger line from its chain, and names the document revision its chunks came from', async () => {
    const before = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: 'How often is the pump oiled?' })).id);
    expect(before.status).toBe('completed');
    const trail = await trailOf(alice.accessToken, before.id);

    expect(trail.events.map((event) => event.type)).toEqual([
      'ConversationStarted',
      'ConversationTurnAdded',
      'TurnStarted',
      'FundsReserved',
      'TurnFundsReserved',
      'RetrievalCompleted',
      'GenerationStarted',
      // The answer and its charge are one write, the wallet's event first in it (as the hold and its record above).
      'FundsCaptured',
      'AnswerCompleted',
      'TurnFundsCaptured',
      'TurnCompleted',
    ]);
    const positions = trail.events.map((event) => event.position);
    expect(new Set(positions).size).toBe(positions.length);
    expect(trail.retrieved[0]).toMatchObject({ documentId, documentName: 'plant.txt', revision: 1 });
    expect(trail.retrieved[0]!.chunkId.startsWith(`${documentId}:1:`)).toBe(true);

    // The turn reads as completed from its own events; the wallet's read model shows the capture a moment later.
    const capture = await until('the capture line', async () => {
      const { ledger } = (await ok<{ wallet: { ledger: Array<{ kind: string; amount: number; turnId: string | null; position: string }> } }>(app, alice.accessToken, LEDGER)).wallet;
      return ledger.find((line) => line.turnId === before.id && line.kind === 'capture');
    }, 30_000);
    expect(trail.usage).toEqual(before.usage);
    expect(trail).toMatchObject({ model: 'extractive-local', price: PRICE, settlement: 'captured', problems: [] });
    expect(trail.usageCost).toBe(costOf(PRICE, trail.usage!));
    expect(trail.charged).toBe(capture.amount);
    expect(trail.charged).toBe(Math.min(trail.usageCost!, trail.hold));
    expect(trail.events.find((event) => event.type === 'FundsCaptured')).toMatchObject({ position: capture.position, amount: capture.amount });

    // Re-indexed: a new answer is built from revision 2, the earlier one still shows revision 1.
    expect((await ok<{ reindexDocument: { revision: number } }>(app, alice.accessToken, REINDEX, { id: documentId })).reindexDocument.revision).toBe(2);
    await until('revision 2 indexed', async () => {
      const { document } = await ok<{ document: { status: string; revision: number } }>(app, alice.accessToken, `query($id: ID!) { document(id: $id) { status revision } }`, { id: documentId });
      return document.revision === 2 && document.status === 'indexed' ? true : undefined;
    }, 120_000);
    const after = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: 'How often is the pump oiled?' })).id);
    expect((await trailOf(alice.accessToken, after.id)).retrieved[0]).toMatchObject({ documentId, revision: 2 });
    expect((await trailOf(alice.accessToken, before.id)).retrieved[0]).toMatchObject({ documentId, revision: 1 });
  });

  it('is the asker\'s: another user never reaches the turn', async () => {
    const turn = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: 'Boiler?' })).id);
    expect((await app.gql(TRAIL, { id: turn.id }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await app.gql(TURN_TRAIL, { id: turn.id }, bob.accessToken)).codes).toEqual(['FORBIDDEN']);
  });

  it('an admin reads the chain by the turn\'s id (turnTrail), without reaching the turn\'s text', async () => {
    const turn = await finishedTurn(app, alice.accessToken, (await ask(app, alice.accessToken, { kb, question: 'What needs a yearly service?' })).id);
    expect((await app.gql(TRAIL, { id: turn.id }, admin.accessToken)).codes).toEqual(['FORBIDDEN']);
    const byAdmin = (await ok<{ turnTrail: Trail }>(app, admin.accessToken, TURN_TRAIL, { id: turn.id })).turnTrail;
    expect(byAdmin).toEqual(await trailOf(alice.accessToken, turn.id));
    expect(byAdmin).toMatchObject({ settlement: 'captured', problems: [] });
    expect(byAdmin.charged).toBe(turn.cost);
    const missing = await app.gql(TURN_TRAIL, { id: '00000000-0000-4000-8000-000000000000' }, admin.accessToken);
    expect(missing.codes).toEqual(['NOT_FOUND']);
  });
});
