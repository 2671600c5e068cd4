import { describe, expect, it } from 'vitest';
import { mayEdit, mayFund, mayManageMembers, membersInOrder, workspacesToCreateIn } from './workspace-roles';

describe('what a workspace role may do in the web app', () => {
  it('lets editors and owners change documents, owners alone manage members', () => {
    expect([mayEdit('VIEWER'), mayEdit('EDITOR'), mayEdit('OWNER'), mayEdit(null), mayEdit(undefined)]).toEqual([false, true, true, false, false]);
    expect([mayManageMembers('VIEWER'), mayManageMembers('EDITOR'), mayManageMembers('OWNER'), mayManageMembers(null)]).toEqual([false, false, true, false]);
    expect([mayFund('VIEWER'), mayFund('EDITOR'), mayFund('OWNER'), mayFund(undefined)]).toEqual([false, false, true, false]);
  });

  it('offers a new knowledge base only the workspaces where one may create it, by name', () => {
    const workspaces = [
      { id: 'w1', name: 'Support', myRole: 'VIEWER' as const },
      { id: 'w2', name: 'Sales', myRole: 'OWNER' as const },
      { id: 'w3', name: 'Field', myRole: 'EDITOR' as const },
      { id: 'w4', name: 'Left', myRole: null },
    ];
    expect(workspacesToCreateIn(workspaces).map((w) => w.id)).toEqual(['w3', 'w2']);
  });

  it('lists owners, then editors, then viewers, by name within a role', () => {
    const member = (role: 'OWNER' | 'EDITOR' | 'VIEWER', email: string, displayName: string | null = null) => ({ role, user: { email, displayName } });
    const ordered = membersInOrder([member('VIEWER', 'z@x'), member('OWNER', 'b@x'), member('VIEWER', 'a@x', 'Yan'), member('EDITOR', 'c@x'), member('OWNER', 'a@x')]);
    expect(ordered.map((m) => `${m.role} ${m.user.email}`)).toEqual(['OWNER a@x', 'OWNER b@x', 'EDITOR c@x', 'VIEWER a@x', 'VIEWER z@x']);
  });
});
