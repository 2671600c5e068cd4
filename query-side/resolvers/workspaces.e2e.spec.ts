/**
 * Workspaces over real HTTP GraphQL in the embedded default: creating one, adding members by email, changing their
 * roles, leaving, the last owner kept, and what each member then reaches (knowledgeBases with their role). The table
 * of every role against every operation is ops/app/workspace-roles.e2e.spec.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { ok } from './chat.testing.ts';
import { register, type Session } from './identity.testing.ts';

const WORKSPACE_FIELDS = `id name myRole createdAt members { user { id email } role joinedAt } knowledgeBases { id name myRole }`;
const CREATE = `mutation($name: String!) { createWorkspace(name: $name) { ${WORKSPACE_FIELDS} } }`;
const ADD = `mutation($w: ID!, $email: String!, $role: MemberRole!) { addMember(workspaceId: $w, email: $email, role: $role) { ${WORKSPACE_FIELDS} } }`;
const REMOVE = `mutation($w: ID!, $user: ID!) { removeMember(workspaceId: $w, userId: $user) { ${WORKSPACE_FIELDS} } }`;
const WORKSPACES = `{ workspaces { id name myRole } }`;
const WORKSPACE = `query($id: ID!) { workspace(id: $id) { ${WORKSPACE_FIELDS} } }`;
const CREATE_KB = `mutation($name: String!, $w: ID) { createKnowledgeBase(name: $name, workspaceId: $w) { id workspaceId myRole ownerId } }`;
const KNOWLEDGE_BASES = `{ knowledgeBases { id name workspaceId myRole } }`;

interface Workspace {
  id: string;
  name: string;
  myRole: string | null;
  members: Array<{ user: { id: string; email: string }; role: string; joinedAt: string }>;
  knowledgeBases: Array<{ id: string; name: string; myRole: string }>;
}

describe('workspaces', () => {
  let app: TestApp;
  let ann: Session;
  let bob: Session;
  let cy: Session;
  let workspace: Workspace;

  const errorOf = async (token: string, query: string, variables: Record<string, unknown>) => {
    const result = await app.gql(query, variables, token);
    return { code: result.errors?.[0]?.extensions?.code, message: result.errors?.[0]?.message ?? '' };
  };
  const membersOf = (w: Workspace) => w.members.map((m) => [m.user.email, m.role]);
  const kbsOf = async (session: Session) =>
    (await ok<{ knowledgeBases: Array<{ id: string; workspaceId: string | null; myRole: string }> }>(app, session.accessToken, KNOWLEDGE_BASES))
      .knowledgeBases;

  beforeAll(async () => {
    app = await startTestApp({ env: { SIGNUP_GRANT: '0' } });
    await register(app, 'admin@example.com');
    ann = await register(app, 'ann@example.com');
    bob = await register(app, 'bob@example.com');
    cy = await register(app, 'cy@example.com');
    workspace = (await ok<{ createWorkspace: Workspace }>(app, ann.accessToken, CREATE, { name: '  Support team ' })).createWorkspace;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('makes its creator the owner', () => {
    expect(workspace).toMatchObject({ name: 'Support team', myRole: 'OWNER', knowledgeBases: [] });
    expect(membersOf(workspace)).toEqual([['ann@example.com', 'OWNER']]);
  });

  it('refuses a blank or overlong name', async () => {
    expect((await errorOf(ann.accessToken, CREATE, { name: '  ' })).code).toBe('BAD_USER_INPUT');
    expect((await errorOf(ann.accessToken, CREATE, { name: 'x'.repeat(201) })).code).toBe('BAD_USER_INPUT');
  });

  it('adds an existing user by email address (any case), who then sees the workspace and its knowledge bases', async () => {
    const added = (await ok<{ addMember: Workspace }>(app, ann.accessToken, ADD, { w: workspace.id, email: ' Bob@Example.com ', role: 'VIEWER' }))
      .addMember;
    expect(membersOf(added)).toEqual([
      ['ann@example.com', 'OWNER'],
      ['bob@example.com', 'VIEWER'],
    ]);
    const kb = (await ok<{ createKnowledgeBase: { id: string; workspaceId: string; myRole: string } }>(app, ann.accessToken, CREATE_KB, { name: 'Manuals', w: workspace.id }))
      .createKnowledgeBase;
    expect(kb).toMatchObject({ workspaceId: workspace.id, myRole: 'OWNER', ownerId: ann.user.id });
    expect(await kbsOf(bob)).toEqual([{ id: kb.id, name: 'Manuals', workspaceId: workspace.id, myRole: 'VIEWER' }]);
    expect(await kbsOf(cy)).toEqual([]);
    expect((await ok<{ workspaces: unknown[] }>(app, bob.accessToken, WORKSPACES)).workspaces).toEqual([
      { id: workspace.id, name: 'Support team', myRole: 'VIEWER' },
    ]);
    const seen = (await ok<{ workspace: Workspace }>(app, bob.accessToken, WORKSPACE, { id: workspace.id })).workspace;
    expect(seen.knowledgeBases).toEqual([{ id: kb.id, name: 'Manuals', myRole: 'VIEWER' }]);
  });

  it('refuses an unknown, erased or malformed email, and hides the workspace from outsiders', async () => {
    expect(await errorOf(ann.accessToken, ADD, { w: workspace.id, email: 'nobody@example.com', role: 'VIEWER' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await errorOf(ann.accessToken, ADD, { w: workspace.id, email: 'not-an-email', role: 'VIEWER' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    const gone = await register(app, 'gone@example.com');
    await ok(app, gone.accessToken, `mutation($id: ID!) { deleteUser(id: $id) { id } }`, { id: gone.user.id });
    expect(await errorOf(ann.accessToken, ADD, { w: workspace.id, email: 'gone@example.com', role: 'VIEWER' })).toMatchObject({ code: 'NOT_FOUND' });
    expect((await errorOf(cy.accessToken, WORKSPACE, { id: workspace.id })).code).toBe('NOT_FOUND');
    expect((await errorOf(cy.accessToken, ADD, { w: workspace.id, email: 'cy@example.com', role: 'OWNER' })).code).toBe('NOT_FOUND');
    expect((await ok<{ workspaces: unknown[] }>(app, cy.accessToken, WORKSPACES)).workspaces).toEqual([]);
  });

  it('lets only owners manage members; a viewer may not create knowledge bases in it until made editor', async () => {
    expect((await errorOf(bob.accessToken, ADD, { w: workspace.id, email: 'cy@example.com', role: 'VIEWER' })).code).toBe('FORBIDDEN');
    expect((await errorOf(bob.accessToken, CREATE_KB, { name: 'Mine', w: workspace.id })).code).toBe('FORBIDDEN');
    const promoted = (await ok<{ addMember: Workspace }>(app, ann.accessToken, ADD, { w: workspace.id, email: 'bob@example.com', role: 'EDITOR' })).addMember;
    expect(membersOf(promoted)).toContainEqual(['bob@example.com', 'EDITOR']);
    const kb = (await ok<{ createKnowledgeBase: { id: string; myRole: string } }>(app, bob.accessToken, CREATE_KB, { name: 'Bob’s', w: workspace.id }))
      .createKnowledgeBase;
    expect(kb.myRole).toBe('EDITOR');
    expect((await kbsOf(ann)).map((k) => k.id)).toContain(kb.id);
    expect((await errorOf(bob.accessToken, REMOVE, { w: workspace.id, user: ann.user.id })).code).toBe('FORBIDDEN');
  });

  it('always keeps an owner: the last one can be neither demoted nor removed', async () => {
    expect(await errorOf(ann.accessToken, REMOVE, { w: workspace.id, user: ann.user.id })).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/owner/) });
    expect((await errorOf(ann.accessToken, ADD, { w: workspace.id, email: 'ann@example.com', role: 'EDITOR' })).code).toBe('CONFLICT');
  });

  it('lets a member leave: they lose the workspace and its knowledge bases at once', async () => {
    const left = (await ok<{ removeMember: Workspace }>(app, bob.accessToken, REMOVE, { w: workspace.id, user: bob.user.id })).removeMember;
    expect(left.myRole).toBeNull();
    expect(membersOf(left)).toEqual([['ann@example.com', 'OWNER']]);
    expect(await kbsOf(bob)).toEqual([]);
    expect((await errorOf(bob.accessToken, WORKSPACE, { id: workspace.id })).code).toBe('NOT_FOUND');
    // Leaving again changes nothing.
    expect((await errorOf(bob.accessToken, REMOVE, { w: workspace.id, user: bob.user.id })).code).toBeUndefined();
  });

  it('hands ownership over: a second owner lets the first leave', async () => {
    await ok(app, ann.accessToken, ADD, { w: workspace.id, email: 'cy@example.com', role: 'OWNER' });
    const after = (await ok<{ removeMember: Workspace }>(app, ann.accessToken, REMOVE, { w: workspace.id, user: ann.user.id })).removeMember;
    expect(membersOf(after)).toEqual([['cy@example.com', 'OWNER']]);
    expect((await kbsOf(cy)).map((k) => k.myRole)).toEqual(['OWNER', 'OWNER']);
  });
});
