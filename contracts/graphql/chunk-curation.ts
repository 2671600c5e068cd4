/**
 * Curating what retrieval sees, for a knowledge base's editors and owners (and admins): a document's chunks with
 * their text, a chunk's text replaced (re-embedded and re-indexed), a chunk taken out of search and put back, and a
 * question with its answer added by hand as a document of its own. The names, arguments and Chunk's first six fields
 * are the agreed public contract (docs/ARCHITECTURE.md, "Teams and integrations"). A chunk id is
 * `{documentId}:{revision}:{index}`; one that is not, or names no chunk of its document's current revision, is
 * NOT_FOUND. Search and answers follow when the mutation returns; the document's audit trail (auditTrail on
 * document-{id}) says who changed what.
 */
export const chunkCurationSchema = /* GraphQL */ `
  extend type Query {
    "The current revision's chunks in order (limit 1..200), after the chunk whose id is 'after' (a chunk id of this document)"
    chunks(documentId: ID!, limit: Int = 100, after: String): [Chunk!]!
  }

  extend type Mutation {
    "Replaces a chunk's text (1..8,000 characters) in the current revision of an indexed document"
    updateChunk(id: ID!, text: String!): Chunk!
    "Takes a chunk out of search (enabled false) or puts it back"
    setChunkEnabled(id: ID!, enabled: Boolean!): Chunk!
    """
    A question and its answer as a document of their own (Markdown: the question as its heading), indexed like any;
    answers with its first chunk once search finds it (UNAVAILABLE if indexing takes too long: the pair is still added)
    """
    addQaPair(knowledgeBaseId: ID!, question: String!, answer: String!): Chunk!
  }

  "A passage of a document as retrieval sees it"
  type Chunk {
    "{documentId}:{revision}:{index}"
    id: ID!
    "Always set here (a question-and-answer pair is a document of its own)"
    documentId: ID
    knowledgeBaseId: ID!
    "The chunk's index in its document revision, from 0"
    ordinal: Int!
    text: String!
    "False while taken out of search"
    enabled: Boolean!
    revision: Int!
    headingPath: [String!]!
    page: Int
    tokenCount: Int!
  }
`;
