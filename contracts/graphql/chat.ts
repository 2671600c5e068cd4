/** Chat's part of the public GraphQL contract: questions, answers streamed token by token, citations. */
export const chatSchema = /* GraphQL */ `
  extend type Mutation {
    ask(knowledgeBaseId: ID!, question: String!, conversationId: ID, maxTokens: Int): Turn!
    stopAnswer(turnId: ID!): Turn!
  }

  extend type Query {
    conversations: [Conversation!]!
    conversation(id: ID!): Conversation
    turn(id: ID!): Turn
  }

  extend type Subscription {
    "Resumable: replays seq > afterSeq, then live."
    answerStream(turnId: ID!, afterSeq: Int = 0): AnswerChunk!
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
`;
