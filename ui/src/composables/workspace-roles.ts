/**
 * What a role may do, as the web app offers it: the server's table (contracts/workspaces.ts, which the UI may not
 * import) read from the public schema's words. The server refuses anything else; the pages do not offer it.
 * VIEWER asks, searches and lists documents; EDITOR also uploads, changes and curates documents and creates
 * knowledge bases in the workspace; OWNER also manages the members. Admins are OWNER everywhere (the server says so
 * in myRole). Pure, so it is tested without Vue.
 */
import type { MemberRole } from '../graphql/generated/graphql';

export const MEMBER_ROLES: readonly MemberRole[] = ['OWNER', 'EDITOR', 'VIEWER'];

const RANK: Record<MemberRole, number> = { VIEWER: 1, EDITOR: 2, OWNER: 3 };

/** Uploads, re-indexes and deletes documents, curates passages, adds a Q&A pair, creates a knowledge base there. */
export const mayEdit = (role: MemberRole | null | undefined): boolean => !!role && RANK[role] >= RANK.EDITOR;

/** Adds members, changes their roles, removes them. */
export const mayManageMembers = (role: MemberRole | null | undefined): boolean => role === 'OWNER';

/** Funds the workspace's wallet from their own and sees it (the server: OWNER, or an admin, who is OWNER in myRole). */
export const mayFund = (role: MemberRole | null | undefined): boolean => role === 'OWNER';

/** The workspaces a new knowledge base may go to: those where the user is EDITOR or OWNER, by name. */
export function workspacesToCreateIn<W extends { name: string; myRole?: MemberRole | null }>(workspaces: readonly W[]): W[] {
  return workspaces.filter((workspace) => mayEdit(workspace.myRole)).sort((a, b) => a.name.localeCompare(b.name));
}

/** Owners first, then editors, then viewers; by name (or email) within a role. */
export function membersInOrder<M extends { role: MemberRole; user: { email: string; displayName?: string | null } }>(members: readonly M[]): M[] {
  const label = (member: M) => member.user.displayName || member.user.email;
  return [...members].sort((a, b) => RANK[b.role] - RANK[a.role] || label(a).localeCompare(label(b)));
}
