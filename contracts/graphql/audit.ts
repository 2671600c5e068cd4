/** The audit trail's part of the public GraphQL contract: any stream's events, secrets redacted. */
export const auditSchema = /* GraphQL */ `
  extend type Query {
    auditTrail(stream: String!, after: String, limit: Int = 100): [AuditEvent!]!
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
