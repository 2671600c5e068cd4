/** Search's part of the public GraphQL contract. */
export const searchSchema = /* GraphQL */ `
  extend type Query {
    search(knowledgeBaseId: ID!, query: String!, limit: Int = 5): [SearchHit!]!
  }

  type SearchHit {
    chunkId: ID!
    documentId: ID!
    documentName: String!
    "Headings above the chunk in its document, outermost first"
    headingPath: [String!]!
    text: String!
    score: Float!
  }
`;
