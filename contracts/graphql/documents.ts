/** Documents' part of the public GraphQL contract (uploads are REST: POST /api/knowledge-bases/:id/documents). */
export const documentsSchema = /* GraphQL */ `
  extend type Mutation {
    deleteDocument(id: ID!): Document!
    reindexDocument(id: ID!): Document!
  }

  extend type Query {
    documents(knowledgeBaseId: ID!): [Document!]!
    document(id: ID!): Document
  }

  extend type Subscription {
    documentStatus(knowledgeBaseId: ID!): Document!
  }

  type Document {
    id: ID!
    knowledgeBaseId: ID!
    name: String!
    mediaType: String!
    sizeBytes: Int!
    sha256: String!
    status: String!
    "Why it failed, for a person (English)."
    error: String
    "Why it failed, for a program: FILE_CORRUPT, SCANNED_PDF, NO_TEXT, EMBEDDING_FAILED, … (UNKNOWN for an old reason not recognised); null unless failed."
    errorCode: String
    chunkCount: Int!
    embeddedCount: Int!
    revision: Int!
    updatedAt: String!
  }
`;
