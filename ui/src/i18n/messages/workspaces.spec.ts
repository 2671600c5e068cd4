/** The workspace messages name every role the server uses (keys built at run time: messages.spec.ts cannot see them). */
import { describe, expect, it } from 'vitest';
import { MEMBER_ROLES } from '../../composables/workspace-roles';
import { workspaces } from './workspaces';

describe('workspace messages', () => {
  it('word every role, and no role for someone who left', () => {
    for (const role of [...MEMBER_ROLES, 'none']) {
      expect(workspaces.en.roles).toHaveProperty(role);
      expect(workspaces.zh.roles).toHaveProperty(role);
    }
  });
});
