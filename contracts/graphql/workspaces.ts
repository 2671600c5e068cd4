/**
 * Workspaces' part of the public GraphQL contract (docs/ARCHITECTURE.md "Teams and integrations"): teams whose
 * members share knowledge bases by role. What each role may do is the table in contracts/workspaces.ts.
 */
export const workspacesSchema = /* GraphQL */ `
  extend type Mutation {
    "A new workspace; you become its OWNER."
    createWorkspace(name: String!): Workspace!
    """
    OWNER only: adds the registered user with this email address (NOT_FOUND when there is none), or gives a member
    another role. Taking the last owner's OWNER role away is CONFLICT: a workspace always keeps an owner.
    """
    addMember(workspaceId: ID!, email: String!, role: MemberRole!): Workspace!
    "OWNER only, or yourself (leaving); never the last owner (CONFLICT). Removing a non-member changes nothing."
    removeMember(workspaceId: ID!, userId: ID!): Workspace!
  }

  extend type Query {
    "The workspaces you are a member of (every one for an admin)."
    workspaces: [Workspace!]!
    "A workspace you are a member of (NOT_FOUND otherwise)."
    workspace(id: ID!): Workspace!
  }

  enum MemberRole {
    OWNER
    EDITOR
    VIEWER
  }

  type Workspace {
    id: ID!
    name: String!
    members: [Member!]!
    "Your role in it: an admin who is not a member acts as OWNER; null once you have left it."
    myRole: MemberRole
    knowledgeBases: [KnowledgeBase!]!
    createdAt: String!
  }

  type Member {
    user: User!
    role: MemberRole!
    joinedAt: String!
  }
`;
