/**
 * API keys' part of the public GraphQL contract (docs/ARCHITECTURE.md "Teams and integrations"). A key calls the
 * OpenAI-compatible REST API (/v1/models, /v1/chat/completions) as its owner, within its limits. workspaceId is in
 * the contract for when workspaces exist; until then a key is its creator's and a workspaceId is refused.
 */
export const apiKeysSchema = /* GraphQL */ `
  extend type Mutation {
    """
    A new key for the caller. Its secret is in the answer once (NewApiKey.key) and stored only as a hash: keep it.
    knowledgeBaseIds: the knowledge bases it may ask (each one the caller may ask); empty or left out = all of the
    caller's. creditsPerDay: micro-credits per UTC day; requestsPerMinute: requests per rolling minute; left out =
    no limit.
    """
    createApiKey(
      name: String!
      workspaceId: ID
      knowledgeBaseIds: [ID!]
      creditsPerDay: Micros
      requestsPerMinute: Int
    ): NewApiKey!
    "The owner (or an admin); refused at once by every API instance. Revoking twice changes nothing."
    revokeApiKey(id: ID!): ApiKey!
  }

  extend type Query {
    "The caller's keys, revoked ones included (prefix only, never the secret)."
    apiKeys(workspaceId: ID): [ApiKey!]!
  }

  type ApiKey {
    id: ID!
    name: String!
    "The secret's first characters (ka_live_abcd), to tell keys apart."
    prefix: String!
    workspaceId: ID
    knowledgeBaseIds: [ID!]
    creditsPerDay: Micros
    requestsPerMinute: Int
    createdAt: String!
    revokedAt: String
  }

  type NewApiKey {
    "The secret, shown this once: Authorization: Bearer <key> on /v1/*."
    key: String!
    apiKey: ApiKey!
  }
`;
