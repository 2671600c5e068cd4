/**
 * The audit trail's part of the public GraphQL contract: any stream's events, secrets redacted; and a turn's
 * causation chain (Turn.trail, and Query.turnTrail for admins), which explains its wallet line from the log alone and
 * holds no text of the conversation.
 */
export const auditSchema = /* GraphQL */ `
  extend type Query {
    auditTrail(stream: String!, after: String, limit: Int = 100): [AuditEvent!]!
    "A turn's causation chain by its id, for its asker or an admin (who cannot read the turn itself: its text is the asker's)"
    turnTrail(turnId: ID!): TurnTrail!
  }

  "data and metadata as JSON text"
  type AuditEvent {
    "The event's id (uuid)"
    id: ID!
    position: String!
    stream: String!
    revision: Int!
    type: String!
    at: String!
    data: String!
    metadata: String!
  }

  extend type Turn {
    "The turn's causation chain, read from the log (its asker or an admin): what it asked, held, retrieved and was charged"
    trail: TurnTrail!
  }

  type TurnTrail {
    "Its events across its conversation, turn and wallet streams, in log order"
    events: [TrailEvent!]!
    "The model that answered, at the price recorded with the question"
    model: String!
    price: ModelPrice!
    "The hold the charge is capped at: what the wallet reserved, else what the question asked for"
    hold: Micros!
    "The chunks the answer was built from, with their document revisions and scores"
    retrieved: [TrailChunk!]!
    "The tokens recorded with a completed or stopped answer"
    usage: Usage
    "usage at the price, rounded up to a whole micro-credit"
    usageCost: Micros
    "captured | released | declined; null while the hold is open"
    settlement: String
    "What the chain says the wallet should take: min(usageCost, hold) on a capture, 0 otherwise; null while open"
    expected: Micros
    "What the wallet took for this turn (its ledger's capture line); 0 when released or declined; null while open"
    charged: Micros
    "Where the chain does not add up, in words (English); empty when it does"
    problems: [String!]!
  }

  type TrailEvent {
    position: String!
    stream: String!
    revision: Int!
    type: String!
    at: String!
    "The micro-credits it asks for, holds, charges or gives back; null for an event about no money"
    amount: Micros
  }

  type TrailChunk {
    n: Int!
    documentId: ID!
    documentName: String!
    "The document revision the chunk was cut from"
    revision: Int!
    chunkId: ID!
    score: Float!
  }

  "Micro-credits per 1,000 tokens"
  type ModelPrice {
    promptPer1k: Micros!
    completionPer1k: Micros!
  }
`;
