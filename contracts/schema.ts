/**
 * The public GraphQL contract (docs/ARCHITECTURE.md "Public API"). Outside tests rely on these names: add fields
 * freely, rename none.
 */
export const schemaSdl = /* GraphQL */ `
  "Integer micro-credits as a JSON number (safe integer); accepts a number or a numeric string."
  scalar Micros

  type Mutation {
    "First user ever becomes admin."
    register(email: String!, password: String!, displayName: String): AuthPayload!
    login(email: String!, password: String!): AuthPayload!
    refreshToken(refreshToken: String!): AuthPayload!
    "Admin only; idempotent per reference."
    deposit(userId: ID!, amount: Micros!, reference: String!): Wallet!
    createKnowledgeBase(name: String!, description: String): KnowledgeBase!
    deleteDocument(id: ID!): Document!
    reindexDocument(id: ID!): Document!
    ask(knowledgeBaseId: ID!, question: String!, conversationId: ID, maxTokens: Int): Turn!
    stopAnswer(turnId: ID!): Turn!
  }

  type Query {
    me: User
    "The caller's wallet; only admins may pass another userId."
    wallet(userId: ID): Wallet!
    knowledgeBases: [KnowledgeBase!]!
    documents(knowledgeBaseId: ID!): [Document!]!
    document(id: ID!): Document
    search(knowledgeBaseId: ID!, query: String!, limit: Int = 5): [SearchHit!]!
    conversations: [Conversation!]!
    conversation(id: ID!): Conversation
    turn(id: ID!): Turn
    auditTrail(stream: String!, after: String, limit: Int = 100): [AuditEvent!]!
    "Replay for audit; at is ISO 8601."
    walletAt(userId: ID!, position: String, at: String): Wallet!
  }

  type Subscription {
    "Resumable: replays seq > afterSeq, then live."
    answerStream(turnId: ID!, afterSeq: Int = 0): AnswerChunk!
    documentStatus(knowledgeBaseId: ID!): Document!
    walletUpdated: Wallet!
  }

  type AuthPayload {
    accessToken: String!
    refreshToken: String!
    user: User!
  }

  "role: admin | member"
  type User {
    id: ID!
    email: String!
    displayName: String
    role: String!
  }

  type KnowledgeBase {
    id: ID!
    name: String!
    description: String
    ownerId: ID!
    documentCount: Int!
    createdAt: String!
  }

  type Document {
    id: ID!
    knowledgeBaseId: ID!
    name: String!
    mediaType: String!
    sizeBytes: Int!
    sha256: String!
    status: String!
    error: String
    chunkCount: Int!
    embeddedCount: Int!
    revision: Int!
    updatedAt: String!
  }

  type Wallet {
    userId: ID!
    balance: Micros!
    reserved: Micros!
    available: Micros!
    ledger(limit: Int = 50, after: String): [LedgerLine!]!
  }

  type LedgerLine {
    kind: String!
    amount: Micros!
    balanceAfter: Micros!
    reference: String
    turnId: ID
    model: String
    promptTokens: Int
    completionTokens: Int
    position: String!
    at: String!
  }

  type Conversation {
    id: ID!
    knowledgeBaseId: ID!
    title: String
    turns: [Turn!]!
    createdAt: String!
  }

  type Turn {
    id: ID!
    conversationId: ID!
    question: String!
    status: String!
    answer: String
    error: String
    citations: [Citation!]!
    cost: Micros
    usage: Usage
    createdAt: String!
  }

  type Usage {
    model: String!
    promptTokens: Int!
    completionTokens: Int!
  }

  type Citation {
    n: Int!
    documentId: ID!
    documentName: String!
    chunkId: ID!
    excerpt: String!
    score: Float!
  }

  type AnswerChunk {
    turnId: ID!
    seq: Int!
    delta: String!
    done: Boolean!
    status: String
    citations: [Citation!]
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

  "data and metadata as JSON text"
  type AuditEvent {
    position: String!
    stream: String!
    revision: Int!
    type: String!
    at: String!
    data: String!
    metadata: String!
  }
`;
