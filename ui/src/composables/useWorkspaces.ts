/**
 * Workspaces (teams): the ones the user is a member of (every one for an admin) with their role, creating one, and
 * one workspace's members and knowledge bases with the owner's changes: add a member by email with a role, give a
 * member another role (the same addMember), remove a member, leave. Every change answers with the workspace as the
 * server now has it; the lists are read again so they match.
 */
import { useQuery } from '@urql/vue';
import { computed } from 'vue';
import { graphql } from '../graphql/generated';
import type { MemberRole, WorkspaceDetailFragment as WorkspaceDetailFields } from '../graphql/generated/graphql';
import { firstError, type UiError } from '../graphql/errors';
import { useAppContext } from './app-context';

export const WorkspaceListQuery = graphql(`
  query WorkspaceList {
    workspaces {
      id
      name
      myRole
      createdAt
      members { role }
      knowledgeBases { id }
    }
  }
`);

/** One workspace as its page shows it; every change below answers with the same fields. */
export const WorkspaceDetailFragment = graphql(`
  fragment WorkspaceDetail on Workspace {
    id
    name
    myRole
    createdAt
    members {
      user { id email displayName }
      role
      joinedAt
    }
    knowledgeBases { ...KbListItem }
  }
`);

export const WorkspaceQuery = graphql(`
  query Workspace($id: ID!) {
    workspace(id: $id) { ...WorkspaceDetail }
  }
`);

export const CreateWorkspaceMutation = graphql(`
  mutation CreateWorkspace($name: String!) {
    createWorkspace(name: $name) { id name myRole }
  }
`);

export const AddMemberMutation = graphql(`
  mutation AddMember($workspaceId: ID!, $email: String!, $role: MemberRole!) {
    addMember(workspaceId: $workspaceId, email: $email, role: $role) { ...WorkspaceDetail }
  }
`);

export const RemoveMemberMutation = graphql(`
  mutation RemoveMember($workspaceId: ID!, $userId: ID!) {
    removeMember(workspaceId: $workspaceId, userId: $userId) { ...WorkspaceDetail }
  }
`);

export type WorkspaceDetail = WorkspaceDetailFields;
export type WorkspaceMember = WorkspaceDetail['members'][number];

const noAnswer: UiError = { code: 'INTERNAL', message: 'no answer' };

/** The workspaces the user is a member of, and creating one (its id, or the error to show). */
export function useWorkspaces() {
  const { api } = useAppContext();
  const list = useQuery({ query: WorkspaceListQuery, requestPolicy: 'cache-and-network' });
  return {
    workspaces: computed(() => list.data.value?.workspaces ?? []),
    loading: computed(() => list.fetching.value && !list.data.value),
    error: computed(() => firstError(list.error.value)),
    async create(name: string): Promise<{ id: string } | { error: UiError }> {
      const result = await api.urql.mutation(CreateWorkspaceMutation, { name: name.trim() }).toPromise();
      if (!result.data) return { error: firstError(result.error) ?? noAnswer };
      await list.executeQuery({ requestPolicy: 'network-only' });
      return { id: result.data.createWorkspace.id };
    },
  };
}

/** One workspace and the changes to its members; each change returns the error to show, or undefined once done. */
export function useWorkspace(workspaceId: () => string) {
  const { api } = useAppContext();
  const query = useQuery({ query: WorkspaceQuery, variables: computed(() => ({ id: workspaceId() })), requestPolicy: 'cache-and-network' });
  const reload = () => query.executeQuery({ requestPolicy: 'network-only' });

  async function change(run: () => Promise<{ data?: unknown; error?: Parameters<typeof firstError>[0] }>): Promise<UiError | undefined> {
    const result = await run();
    if (!result.data) return firstError(result.error) ?? noAnswer;
    await reload();
    return undefined;
  }

  return {
    workspace: computed(() => query.data.value?.workspace),
    loading: computed(() => query.fetching.value && !query.data.value),
    error: computed(() => firstError(query.error.value)),
    reload,
    /** Adds the user with this email, or gives a member this role. */
    setMember: (email: string, role: MemberRole) =>
      change(() => api.urql.mutation(AddMemberMutation, { workspaceId: workspaceId(), email: email.trim(), role }).toPromise()),
    /** Removes a member. */
    removeMember: (userId: string) =>
      change(() => api.urql.mutation(RemoveMemberMutation, { workspaceId: workspaceId(), userId }).toPromise()),
    /** Leaves the workspace (removes oneself): not read again, the user may no longer see it. */
    async leave(myId: string): Promise<UiError | undefined> {
      const result = await api.urql.mutation(RemoveMemberMutation, { workspaceId: workspaceId(), userId: myId }).toPromise();
      return result.data ? undefined : (firstError(result.error) ?? noAnswer);
    },
  };
}
