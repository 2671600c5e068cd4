/** Knowledge bases' part of the public GraphQL contract. */
export const knowledgeBasesSchema = /* GraphQL */ `
  extend type Mutation {
    """
    workspaceId: create it in that workspace (you must be its EDITOR or OWNER); left out: your own.
    With idempotencyKey (1..200 characters, yours to choose, e.g. a UUID per intended knowledge base) a retry is
    safe: a create with a key you used before answers with the knowledge base it made (CONFLICT when the name or
    description differ) instead of making another.
    """
    createKnowledgeBase(name: String!, description: String, workspaceId: ID, idempotencyKey: String): KnowledgeBase!
  }

  extend type Query {
    "Your own knowledge bases and those of your workspaces (every one for an admin)."
    knowledgeBases: [KnowledgeBase!]!
  }

  type KnowledgeBase {
    id: ID!
    name: String!
    description: String
    "Who created it; for a personal knowledge base, the one person who may use it."
    ownerId: ID!
    "The workspace it belongs to; null: its owner's own."
    workspaceId: ID
    "What you may do with it: VIEWER asks and searches, EDITOR also changes documents, OWNER also manages the workspace."
    myRole: MemberRole!
    documentCount: Int!
    createdAt: String!
  }
`;
