/** The wallet's part of the public GraphQL contract: deposits, balances, the ledger, replay for audit. */
export const walletSchema = /* GraphQL */ `
  extend type Mutation {
    "Admin only; idempotent per reference."
    deposit(userId: ID!, amount: Micros!, reference: String!): Wallet!
  }

  extend type Query {
    "The caller's wallet; only admins may pass another userId."
    wallet(userId: ID): Wallet!
    "Replay for audit; at is ISO 8601."
    walletAt(userId: ID!, position: String, at: String): Wallet!
  }

  extend type Subscription {
    walletUpdated: Wallet!
  }

  "A user's wallet, or a workspace's (userId is then the workspace's id)."
  type Wallet {
    userId: ID!
    balance: Micros!
    reserved: Micros!
    available: Micros!
    "Lines after and/or before a log position (cursors: a line's position), oldest first unless newestFirst."
    ledger(limit: Int = 50, after: String, before: String, newestFirst: Boolean = false): [LedgerLine!]!
  }

  type LedgerLine {
    kind: String!
    amount: Micros!
    balanceAfter: Micros!
    reference: String
    turnId: ID
    "The API key the turn's question came through (POST /v1/chat/completions); null when asked in the app."
    apiKeyId: ID
    "Who asked the question of a turn's line (also when a workspace's wallet pays for it); null for deposits and transfers."
    askedBy: ID
    model: String
    promptTokens: Int
    completionTokens: Int
    position: String!
    at: String!
  }
`;
