/** Knowledge bases' part of the public GraphQL contract. */
export const knowledgeBasesSchema = /* GraphQL */ `
  extend type Mutation {
    """
    With idempotencyKey (1..200 characters, yours to choose, e.g. a UUID per intended knowledge base) a retry is
    safe: a create with a key you used before answers with the knowledge base it made (CONFLICT when the name or
    description differ) instead of making another.
    """
    createKnowledgeBase(name: String!, description: String, idempotencyKey: String): KnowledgeBase!
  }

  extend type Query {
    knowledgeBases: [KnowledgeBase!]!
  }

  type KnowledgeBase {
    id: ID!
    name: String!
    description: String
    ownerId: ID!
    documentCount: Int!
    createdAt: String!
  }
`;
