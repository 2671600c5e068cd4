/**
 * Who may do what to a workspace's knowledge base, through the whole app over HTTP (issue 13): every operation of
 * the API against every kind of user, as one table. The expectations are derived from KNOWLEDGE_BASE_OPERATIONS
 * (contracts/workspaces.ts), the table both the commands and the resolvers read, so this test and that table cannot
 * drift apart silently; the table must cover every operation key. A refusal changes nothing; a member removed a
 * moment ago is refused on the very next request; someone's personal knowledge base is theirs (and admins') alone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KNOWLEDGE_BASE_OPERATIONS, mayDo, type KnowledgeBaseOperation, type MemberRole } from '../../contracts/workspaces.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { DOCUMENT, DOCUMENTS, createKnowledgeBase, upload, waitForStatus } from '../upload/upload.testing.ts';
import { ASK, ok } from './chat.testing.ts';
import { register, type Session } from './identity.testing.ts';

/** The users of the table and the role each has on the workspace's knowledge base (admins act as owner). */
const ROLES = {
  owner: 'owner',
  editor: 'editor',
  viewer: 'viewer',
  outsider: null, // registered, never a member
  exMember: null, // an editor, removed before the table runs
  admin: 'owner',
} as const satisfies Record<string, MemberRole | null>;
type Who = keyof typeof ROLES;
const USERS = Object.keys(ROLES) as Who[];

/** 'ok', an error code (FORBIDDEN, NOT_FOUND, …), or NOT_LISTED for a listing that leaves the knowledge base out. */
type Outcome = string;

interface Operation {
  name: string;
  /** The row of KNOWLEDGE_BASE_OPERATIONS it is checked by; 'member': any role in the workspace will do. */
  needs: KnowledgeBaseOperation | 'member';
  /** What someone with no role at all gets (a role too low always gets FORBIDDEN). */
  noRole: Outcome;
  run: (who: Who) => Promise<Outcome>;
}

/** The table: operation × user. Each runs a real GraphQL call (or the upload route) as that user. */
const OPERATIONS: Operation[] = [
  { name: 'ask', needs: 'ask', noRole: 'FORBIDDEN', run: (who) => askAs(who, world.kb) },
  { name: 'search', needs: 'search', noRole: 'FORBIDDEN', run: (who) => searchAs(who, world.kb) },
  { name: 'createApiKey(knowledgeBaseIds: [it])', needs: 'ask', noRole: 'FORBIDDEN', run: (who) => gqlAs(who, CREATE_API_KEY, { kbs: [world.kb] }) },
  { name: 'createApiKey(workspaceId)', needs: 'manageKeys', noRole: 'NOT_FOUND', run: (who) => gqlAs(who, CREATE_API_KEY, { ws: world.workspaceId }) },
  { name: 'apiKeys(workspaceId)', needs: 'manageKeys', noRole: 'NOT_FOUND', run: (who) => gqlAs(who, WORKSPACE_KEYS, { ws: world.workspaceId }) },
  { name: 'knowledgeBases lists it', needs: 'member', noRole: 'NOT_LISTED', run: (who) => listingAs(who) },
  { name: 'documents', needs: 'listDocuments', noRole: 'FORBIDDEN', run: (who) => documentsAs(who, world.kb) },
  { name: 'document', needs: 'listDocuments', noRole: 'FORBIDDEN', run: (who) => gqlAs(who, DOCUMENT, { id: world.documentId }) },
  { name: 'chunks', needs: 'curate', noRole: 'FORBIDDEN', run: (who) => gqlAs(who, CHUNKS, { id: world.documentId }) },
  { name: 'upload (REST)', needs: 'upload', noRole: 'FORBIDDEN', run: (who) => unchangedUnlessOk(documentCount, () => uploadAs(who, world.kb)) },
  { name: 'addQaPair', needs: 'curate', noRole: 'FORBIDDEN', run: (who) => unchangedUnlessOk(documentCount, () => gqlAs(who, ADD_QA, { kb: world.kb, q: `Who is ${who}?`, a: 'A tester.' })) },
  { name: 'deleteDocument', needs: 'changeDocuments', noRole: 'FORBIDDEN', run: (who) => onFreshDocument(who, DELETE) },
  { name: 'reindexDocument', needs: 'changeDocuments', noRole: 'FORBIDDEN', run: (who) => onFreshDocument(who, REINDEX) },
  { name: 'updateChunk', needs: 'curate', noRole: 'FORBIDDEN', run: (who) => unchangedUnlessOk(chunks, () => gqlAs(who, UPDATE, { id: world.chunkIds[0], text: `Edited by ${who}: the boiler is serviced yearly.` })) },
  { name: 'setChunkEnabled', needs: 'curate', noRole: 'FORBIDDEN', run: (who) => toggleChunkAs(who) },
  { name: 'createKnowledgeBase(workspaceId)', needs: 'createKnowledgeBase', noRole: 'NOT_FOUND', run: (who) => unchangedUnlessOk(workspaceKnowledgeBases, () => gqlAs(who, CREATE_KB_IN, { name: `By ${who}`, ws: world.workspaceId })) },
  { name: 'workspace(id)', needs: 'member', noRole: 'NOT_FOUND', run: (who) => gqlAs(who, WORKSPACE, { id: world.workspaceId }) },
  { name: 'addMember', needs: 'manageMembers', noRole: 'NOT_FOUND', run: (who) => addMemberAs(who) },
  { name: 'removeMember (someone else)', needs: 'manageMembers', noRole: 'NOT_FOUND', run: (who) => removeMemberAs(who) },
  { name: 'fundWorkspace', needs: 'fundWallet', noRole: 'NOT_FOUND', run: (who) => unchangedUnlessOk(workspaceWallet, () => gqlAs(who, FUND, { ws: world.workspaceId, ref: `by-${who}` })) },
  { name: 'auditTrail of the knowledge base', needs: 'readAuditTrail', noRole: 'FORBIDDEN', run: (who) => gqlAs(who, AUDIT, { stream: `kb-${world.kb}` }) },
  { name: 'auditTrail of its document', needs: 'readAuditTrail', noRole: 'FORBIDDEN', run: (who) => gqlAs(who, AUDIT, { stream: `document-${world.documentId}` }) },
  { name: 'auditTrail of the workspace', needs: 'readAuditTrail', noRole: 'FORBIDDEN', run: (who) => gqlAs(who, AUDIT, { stream: `workspace-${world.workspaceId}` }) },
];
/** Exercised on its own below (one upload wakes every subscriber). */
const DOCUMENT_STATUS: Pick<Operation, 'needs' | 'noRole'> = { needs: 'listDocuments', noRole: 'FORBIDDEN' };

/** Operations of the role table with nothing in the API to call yet, and why. */
const NOT_EXPOSED: Partial<Record<KnowledgeBaseOperation, string>> = {};

function expected(operation: Pick<Operation, 'needs' | 'noRole'>, who: Who): Outcome {
  const role = ROLES[who];
  if (role === null) return operation.noRole;
  return operation.needs === 'member' || mayDo(role, operation.needs) ? 'ok' : 'FORBIDDEN';
}

// ---- GraphQL documents ----

const SEARCH = `query($kb: ID!) { search(knowledgeBaseId: $kb, query: "boiler serviced", limit: 5) { chunkId } }`;
const LIST_KBS = `{ knowledgeBases { id workspaceId myRole } }`;
const CHUNKS = `query($id: ID!) { chunks(documentId: $id) { id text enabled } }`;
const ADD_QA = `mutation($kb: ID!, $q: String!, $a: String!) { addQaPair(knowledgeBaseId: $kb, question: $q, answer: $a) { id } }`;
const DELETE = `mutation($id: ID!) { deleteDocument(id: $id) { id status } }`;
const REINDEX = `mutation($id: ID!) { reindexDocument(id: $id) { id revision } }`;
const UPDATE = `mutation($id: ID!, $text: String!) { updateChunk(id: $id, text: $text) { id } }`;
const TOGGLE = `mutation($id: ID!, $enabled: Boolean!) { setChunkEnabled(id: $id, enabled: $enabled) { id enabled } }`;
const CREATE_WORKSPACE = `mutation($name: String!) { createWorkspace(name: $name) { id } }`;
const CREATE_KB_IN = `mutation($name: String!, $ws: ID) { createKnowledgeBase(name: $name, workspaceId: $ws) { id workspaceId myRole } }`;
const WORKSPACE = `query($id: ID!) { workspace(id: $id) { id myRole members { role user { id } } } }`;
const ADD_MEMBER = `mutation($ws: ID!, $email: String!, $role: MemberRole!) { addMember(workspaceId: $ws, email: $email, role: $role) { id } }`;
const REMOVE_MEMBER = `mutation($ws: ID!, $userId: ID!) { removeMember(workspaceId: $ws, userId: $userId) { id } }`;
const REGENERATE = `mutation($id: ID!) { regenerate(turnId: $id) { id } }`;
const STATUS = `subscription($kb: ID!) { documentStatus(knowledgeBaseId: $kb) { id status } }`;
const AUDIT = `query($stream: String!) { auditTrail(stream: $stream, limit: 5) { type } }`;
const FUND = `mutation($ws: ID!, $ref: String!) { fundWorkspace(workspaceId: $ws, amount: 1000, reference: $ref) { id } }`;
const WORKSPACE_WALLET = `query($id: ID!) { workspace(id: $id) { wallet { balance ledger(limit: 100) { kind amount } } } }`;
const WORKSPACE_KEYS = `query($ws: ID) { apiKeys(workspaceId: $ws) { id } }`;
const CREATE_API_KEY = `mutation($ws: ID, $kbs: [ID!]) { createApiKey(name: "k", workspaceId: $ws, knowledgeBaseIds: $kbs) { key } }`;

const MANUAL = `# Boiler care

The boiler must be serviced every twelve months by a certified technician.

# Filters

Replace the air filter when the warning light on the front panel turns orange.
`;

// ---- the world the table runs in ----

interface World {
  app: TestApp;
  users: Record<Who | 'stranger', Session>;
  workspaceId: string;
  /** The workspace's knowledge base, with one indexed document. */
  kb: string;
  documentId: string;
  chunkIds: string[];
  /** The stranger's own knowledge base. */
  personalKb: string;
}
const world = {} as World;

const token = (who: Who | 'stranger') => world.users[who].accessToken;
const outcomeOf = (result: { codes: string[]; data?: unknown }): Outcome => result.codes[0] ?? (result.data ? 'ok' : 'NO_DATA');
const gqlAs = async (who: Who | 'stranger', query: string, variables: Record<string, unknown>) =>
  outcomeOf(await world.app.gql(query, variables, token(who)));
const asOwner = <T>(query: string, variables: Record<string, unknown> = {}) => ok<T>(world.app, token('owner'), query, variables);

const askAs = (who: Who, kb: string) => gqlAs(who, ASK, { kb, question: 'How often is the boiler serviced?' });
const searchAs = (who: Who, kb: string) => gqlAs(who, SEARCH, { kb });
const documentsAs = (who: Who, kb: string) => gqlAs(who, DOCUMENTS, { kb });

async function uploadAs(who: Who | 'stranger', kb: string): Promise<Outcome> {
  const bytes = new TextEncoder().encode(`# A note of ${who}\n\nIts own words: ${randomUUID()}.\n`);
  const { status, body } = await upload(world.app, kb, { name: `note-${who}.md`, bytes }, { token: token(who) });
  if (status === 201) return 'ok';
  return body.errors?.[0]?.extensions.code ?? `HTTP ${status}`;
}

/** Listed with the caller's role as myRole: ok; listed with another role: that role; left out: NOT_LISTED. */
async function listingAs(who: Who): Promise<Outcome> {
  const { knowledgeBases } = await ok<{ knowledgeBases: Array<{ id: string; myRole: string }> }>(world.app, token(who), LIST_KBS);
  const listed = knowledgeBases.find((knowledgeBase) => knowledgeBase.id === world.kb);
  if (!listed) return 'NOT_LISTED';
  return listed.myRole === ROLES[who]?.toUpperCase() ? 'ok' : `myRole ${listed.myRole}`;
}

/** Runs `call`; when it was refused, `state` (read by the owner or an admin) must read as before. */
async function unchangedUnlessOk(state: () => Promise<unknown>, call: () => Promise<Outcome>): Promise<Outcome> {
  const before = await state();
  const outcome = await call();
  if (outcome !== 'ok') expect(await state(), 'a refused operation changed something').toEqual(before);
  return outcome;
}

const documentCount = async () => (await asOwner<{ documents: unknown[] }>(DOCUMENTS, { kb: world.kb })).documents.length;
const chunks = async () => (await asOwner<{ chunks: unknown[] }>(CHUNKS, { id: world.documentId })).chunks;
const members = async () =>
  (await asOwner<{ workspace: { members: Array<{ role: string; user: { id: string } }> } }>(WORKSPACE, { id: world.workspaceId })).workspace.members;
const workspaceWallet = async () => (await asOwner<{ workspace: { wallet: unknown } }>(WORKSPACE_WALLET, { id: world.workspaceId })).workspace.wallet;
const workspaceKnowledgeBases = async () =>
  (await ok<{ knowledgeBases: Array<{ id: string; workspaceId: string | null }> }>(world.app, token('admin'), LIST_KBS)).knowledgeBases.filter(
    (knowledgeBase) => knowledgeBase.workspaceId === world.workspaceId,
  ).length;

/** A document of its own for each delete or reindex, so an allowed one breaks no later row. */
async function onFreshDocument(who: Who, mutation: string): Promise<Outcome> {
  const { status, body } = await upload(
    world.app,
    world.kb,
    { name: 'fresh.md', bytes: new TextEncoder().encode(`# Fresh\n\n${randomUUID()}\n`) },
    { token: token('owner') },
  );
  expect(status).toBe(201);
  const state = async () => {
    const { status: docStatus, revision } = (await asOwner<{ document: { status: string; revision: number } }>(DOCUMENT, { id: body.id })).document;
    return { deleted: docStatus === 'deleted', revision };
  };
  return unchangedUnlessOk(state, () => gqlAs(who, mutation, { id: body.id }));
}

/** Turns the last chunk off or back on (whichever it is not), a real change each time. */
async function toggleChunkAs(who: Who): Promise<Outcome> {
  const chunkId = world.chunkIds.at(-1)!;
  const current = (await chunks()) as Array<{ id: string; enabled: boolean }>;
  const enabled = !current.find((chunk) => chunk.id === chunkId)!.enabled;
  return unchangedUnlessOk(chunks, () => gqlAs(who, TOGGLE, { id: chunkId, enabled }));
}

let registered = 0;
const newUser = () => register(world.app, `new-${++registered}@example.com`);

async function addMemberAs(who: Who): Promise<Outcome> {
  const joiner = await newUser();
  return unchangedUnlessOk(members, () => gqlAs(who, ADD_MEMBER, { ws: world.workspaceId, email: joiner.user.email, role: 'VIEWER' }));
}

async function removeMemberAs(who: Who): Promise<Outcome> {
  const member = await newUser();
  await asOwner(ADD_MEMBER, { ws: world.workspaceId, email: member.user.email, role: 'VIEWER' });
  return unchangedUnlessOk(members, () => gqlAs(who, REMOVE_MEMBER, { ws: world.workspaceId, userId: member.user.id }));
}

/** The first result of a documentStatus subscription about the document `documentId` names: ok, or the refusal's code. */
async function statusOutcome(subscription: ReturnType<TestApp['subscribe']>, documentId: Promise<string>): Promise<Outcome> {
  for (;;) {
    try {
      const result = await subscription.next(30_000);
      if (result.errors) return String(result.errors[0]?.extensions?.code);
      if ((result.data as { documentStatus: { id: string } }).documentStatus.id === (await documentId)) return 'ok';
    } catch (error) {
      return /"code":"([A-Z_]+)"/.exec(String(error))?.[1] ?? String(error);
    }
  }
}

describe('workspace roles: every operation against every kind of user', () => {
  beforeAll(async () => {
    const app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    world.app = app;
    const users = {} as World['users'];
    users.admin = await register(app, 'admin@example.com'); // the first user is the admin
    for (const who of ['owner', 'editor', 'viewer', 'outsider', 'exMember', 'stranger'] as const) {
      users[who] = await register(app, `${who.toLowerCase()}@example.com`);
    }
    world.users = users;
    world.workspaceId = (await asOwner<{ createWorkspace: { id: string } }>(CREATE_WORKSPACE, { name: 'Plant' })).createWorkspace.id;
    for (const [who, role] of [['editor', 'EDITOR'], ['viewer', 'VIEWER'], ['exMember', 'EDITOR']] as const) {
      await asOwner(ADD_MEMBER, { ws: world.workspaceId, email: users[who].user.email, role });
    }
    await asOwner(REMOVE_MEMBER, { ws: world.workspaceId, userId: users.exMember.user.id });
    world.kb = (await asOwner<{ createKnowledgeBase: { id: string } }>(CREATE_KB_IN, { name: 'Manuals', ws: world.workspaceId })).createKnowledgeBase.id;
    const { body } = await upload(app, world.kb, { name: 'manual.md', bytes: new TextEncoder().encode(MANUAL) }, { token: token('owner') });
    world.documentId = body.id!;
    await waitForStatus(app, token('owner'), world.documentId, ['indexed'], 60_000);
    world.chunkIds = ((await chunks()) as Array<{ id: string }>).map((chunk) => chunk.id);
    expect(world.chunkIds.length).toBeGreaterThanOrEqual(2);
    world.personalKb = await createKnowledgeBase(app, users.stranger, 'Mine');
  }, 120_000);
  afterAll(async () => {
    await world.app?.close();
  });

  it('covers every operation of the role table (KNOWLEDGE_BASE_OPERATIONS)', () => {
    const covered = new Set<string>([...OPERATIONS.map((operation) => operation.needs), DOCUMENT_STATUS.needs, ...Object.keys(NOT_EXPOSED)]);
    covered.delete('member');
    expect([...covered].sort()).toEqual(Object.keys(KNOWLEDGE_BASE_OPERATIONS).sort());
  });

  describe.each(OPERATIONS)('$name', (operation) => {
    it.each(USERS.map((who) => [who, expected(operation, who)] as const))('%s → %s', async (who, outcome) => {
      expect(await operation.run(who)).toBe(outcome);
    });
  });

  it('documentStatus: members are sent the status changes, anyone else is refused', async () => {
    const subscriptions = USERS.map((who) => world.app.subscribe(STATUS, { kb: world.kb }, token(who)));
    try {
      await new Promise((resolve) => setTimeout(resolve, 500)); // graphql-ws does not acknowledge a subscription
      const bytes = new TextEncoder().encode(`# Watched\n\n${randomUUID()}\n`);
      const uploaded = upload(world.app, world.kb, { name: 'watched.md', bytes }, { token: token('owner') }).then(({ body }) => body.id!);
      const seen = await Promise.all(subscriptions.map((subscription) => statusOutcome(subscription, uploaded)));
      expect(Object.fromEntries(USERS.map((who, i) => [who, seen[i]]))).toEqual(
        Object.fromEntries(USERS.map((who) => [who, expected(DOCUMENT_STATUS, who)])),
      );
    } finally {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
    }
  });

  it.each(USERS)('someone else’s personal knowledge base: %s may use it only as an admin', async (who) => {
    const outcome = who === 'admin' ? 'ok' : 'FORBIDDEN';
    const count = async () => (await ok<{ documents: unknown[] }>(world.app, token('stranger'), DOCUMENTS, { kb: world.personalKb })).documents.length;
    const before = await count();
    expect({
      ask: await askAs(who, world.personalKb),
      search: await searchAs(who, world.personalKb),
      documents: await documentsAs(who, world.personalKb),
      upload: await uploadAs(who, world.personalKb),
    }).toEqual({ ask: outcome, search: outcome, documents: outcome, upload: outcome });
    if (who !== 'admin') expect(await count()).toBe(before);
  });

  it('a member removed while watching documentStatus stops being sent status changes', async () => {
    const watcher = await newUser();
    await asOwner(ADD_MEMBER, { ws: world.workspaceId, email: watcher.user.email, role: 'VIEWER' });
    const subscription = world.app.subscribe(STATUS, { kb: world.kb }, watcher.accessToken);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500)); // graphql-ws does not acknowledge a subscription
      const uploadWatched = async () =>
        (await upload(world.app, world.kb, { name: 'watched.md', bytes: new TextEncoder().encode(`# Watched\n\n${randomUUID()}\n`) }, { token: token('owner') }))
          .body.id!;
      const first = await uploadWatched();
      expect(await statusOutcome(subscription, Promise.resolve(first))).toBe('ok');
      await asOwner(REMOVE_MEMBER, { ws: world.workspaceId, userId: watcher.user.id });
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the subscription checks again at most once a second
      const seenBefore = subscription.received.length;
      const second = await uploadWatched();
      await expect(subscription.done).resolves.toBeUndefined(); // the server completed it
      const ids = subscription.received.slice(seenBefore).map((result) => (result.data as { documentStatus: { id: string } }).documentStatus.id);
      expect(ids).not.toContain(second);
    } finally {
      await subscription.close();
    }
  });

  it('a member removed a moment ago is refused on the very next request, and their refused upload changes nothing', async () => {
    const leaver = await newUser();
    await asOwner(ADD_MEMBER, { ws: world.workspaceId, email: leaver.user.email, role: 'EDITOR' });
    const call = async (query: string, variables: Record<string, unknown>) => outcomeOf(await world.app.gql(query, variables, leaver.accessToken));
    const uploadByLeaver = async () => {
      const bytes = new TextEncoder().encode(`# Leaving\n\n${randomUUID()}\n`);
      return (await upload(world.app, world.kb, { name: 'leaving.md', bytes }, { token: leaver.accessToken })).status;
    };
    const { createApiKey } = await ok<{ createApiKey: { key: string } }>(world.app, leaver.accessToken, CREATE_API_KEY, { kbs: [world.kb] });
    const completion = async () =>
      (
        await fetch(`${world.app.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${createApiKey.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: `kb:${world.kb}`, messages: [{ role: 'user', content: 'How often is the boiler serviced?' }] }),
        })
      ).status;
    const asked = await ok<{ ask: { id: string } }>(world.app, leaver.accessToken, ASK, { kb: world.kb, question: 'How often is the boiler serviced?' });
    expect(await uploadByLeaver()).toBe(201);
    expect(await completion()).toBe(200);

    await asOwner(REMOVE_MEMBER, { ws: world.workspaceId, userId: leaver.user.id });
    const before = await documentCount();
    expect(await call(ASK, { kb: world.kb, question: 'And now?' })).toBe('FORBIDDEN');
    expect(await uploadByLeaver()).toBe(403);
    expect(await call(REGENERATE, { id: asked.ask.id })).toBe('FORBIDDEN');
    expect(await completion()).toBe(404); // the OpenAI-compatible API shows a knowledge base one may not ask as none
    expect(await call(DOCUMENTS, { kb: world.kb })).toBe('FORBIDDEN');
    expect(await call(SEARCH, { kb: world.kb })).toBe('FORBIDDEN');
    expect(await documentCount()).toBe(before);
  });
});
