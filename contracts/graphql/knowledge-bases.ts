/** Knowledge bases' part of the public GraphQL contract. */
export const knowledgeBasesSchema = /* GraphQL */ `
  extend type Mutation {
    createKnowledgeBase(name: String!, description: String): KnowledgeBase!
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
