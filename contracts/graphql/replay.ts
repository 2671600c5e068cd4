/**
 * Replays run by the running server (admins): rebuild read models from the log beside the live tables, verify them,
 * swap them in, with progress. `npm run replay -- … --server URL` drives this with a progress bar.
 */
export const replaySchema = /* GraphQL */ `
  extend type Query {
    "A replay job, while the server keeps it (the last 20); admins"
    replayJob(id: ID!): ReplayJob
    "The projections a replay may name (or all); admins"
    replayableProjections: [String!]!
  }

  extend type Mutation {
    "Starts rebuilding the named projections (or all) from the log into fresh tables; verify compares them with the live ones, swap puts them in place. One job at a time (CONFLICT otherwise); admins"
    replayProjections(names: [String!]!, verify: Boolean = false, swap: Boolean = false): ReplayJob!
  }

  extend type Subscription {
    "The job now, then on every change (a few a second), completing once it is done or failed; admins"
    replayProgress(jobId: ID!): ReplayJob!
  }

  enum ReplayPhase {
    QUEUED
    REBUILDING
    VERIFYING
    SWAPPING
    DONE
    FAILED
  }

  type ReplayJob {
    id: ID!
    verify: Boolean!
    swap: Boolean!
    requestedBy: ID!
    startedAt: String!
    finishedAt: String
    phase: ReplayPhase!
    projections: [ReplayProjection!]!
  }

  type ReplayProjection {
    name: String!
    phase: ReplayPhase!
    "Events read from the log so far"
    events: Int!
    "0..1 of the log read"
    fraction: Float!
    eventsPerSecond: Int
    ms: Int
    "With verify: whether the rebuild equals the live tables at their checkpoint"
    equal: Boolean
    "What differs, table by table"
    differences: [String!]!
    error: String
  }
`;
