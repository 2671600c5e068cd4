/**
 * Curating what retrieval sees, for a knowledge base's owner or an admin: a document's chunks with their text, a
 * chunk's text edited (re-embedded and re-indexed), a chunk taken out of search and put back, and a question with
 * its answer added by hand as a document of its own. Search and answers follow when the mutation returns; the
 * document's audit trail (auditTrail on document-{id}) says who changed what.
 */
export const chunkCurationSchema = /* GraphQL */ `
  extend type Query {
    "The current revision's chunks in order, from index 'from' on (limit 1..200)"
    documentChunks(documentId: ID!, from: Int = 0, limit: Int = 50): [DocumentChunk!]!
  }

  extend type Mutation {
    "Replaces a chunk's text (1..8,000 characters) in the current revision of an indexed document"
    editChunk(documentId: ID!, chunkId: ID!, text: String!): DocumentChunk!
    "Takes a chunk out of search (enabled false) or puts it back"
    setChunkEnabled(documentId: ID!, chunkId: ID!, enabled: Boolean!): DocumentChunk!
    "A question and its answer as a document of their own (Markdown: the question as its heading), indexed like any"
    addQaPair(knowledgeBaseId: ID!, question: String!, answer: String!): Document!
  }

  type DocumentChunk {
    id: ID!
    documentId: ID!
    revision: Int!
    index: Int!
    text: String!
    headingPath: [String!]!
    page: Int
    tokenCount: Int!
    "False while taken out of search"
    enabled: Boolean!
  }
`;
