/**
 * Chat's part of the public GraphQL contract: questions, answers streamed token by token, citations, feedback.
 * It also adds the feedback counts to KnowledgeBase (its owner sees which answers fail), resolved by this slice.
 */
export const chatSchema = /* GraphQL */ `
  extend type Mutation {
    """
    Starts a turn and returns it at once. With idempotencyKey (1..200 characters, yours to choose, e.g. a UUID per
    question typed) a retry is safe: an ask with a key you used before answers with the turn it started, asked and
    billed once (CONFLICT when the question, knowledge base or conversation differ).
    """
    ask(knowledgeBaseId: ID!, question: String!, conversationId: ID, maxTokens: Int, idempotencyKey: String): Turn!
    stopAnswer(turnId: ID!): Turn!
    "A new turn for the same question in the same conversation; the old one stays, both are billed."
    regenerate(turnId: ID!): Turn!
    "The asker only, once the turn has ended; the last rating counts."
    rateTurn(turnId: ID!, rating: Rating!, comment: String): Turn!
  }

  extend type Query {
    conversations: [Conversation!]!
    conversation(id: ID!): Conversation
    turn(id: ID!): Turn
    "Tokens and micro-credits charged per model and day (UTC), newest day first: the caller's own, or any user's for an admin."
    usage(userId: ID): [DailyUsage!]!
  }

  type DailyUsage {
    userId: ID!
    model: String!
    "YYYY-MM-DD, UTC: the day the turn was charged."
    day: String!
    turns: Int!
    promptTokens: Int!
    completionTokens: Int!
    cost: Micros!
  }

  extend type Subscription {
    """
    Resumable: replays seq > afterSeq, then live. minIntervalMs (0..1000): at most one message per that many ms, the
    deltas in between merged into one chunk (the first message and the done chunk are never held); for a client
    that draws less often than tokens come.
    """
    answerStream(turnId: ID!, afterSeq: Int = 0, minIntervalMs: Int = 0): AnswerChunk!
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
    "INSUFFICIENT_FUNDS on a rejected turn, ANSWER_FAILED on a failed one."
    errorCode: String
    "On a turn rejected for INSUFFICIENT_FUNDS: the most the question could have cost (its hold)."
    fundsNeeded: Micros
    "On a turn rejected for INSUFFICIENT_FUNDS: what the wallet had available then."
    fundsAvailable: Micros
    citations: [Citation!]!
    cost: Micros
    usage: Usage
    feedback: Feedback
    regeneratedFrom: ID
    createdAt: String!
  }

  enum Rating {
    UP
    DOWN
  }

  type Feedback {
    rating: Rating!
    comment: String
    at: String!
  }

  extend type KnowledgeBase {
    "Turns of this knowledge base whose last rating is UP."
    feedbackUp: Int!
    "Turns of this knowledge base whose last rating is DOWN."
    feedbackDown: Int!
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
