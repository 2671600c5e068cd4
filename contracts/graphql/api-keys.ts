/**
 * API keys' part of the public GraphQL contract (docs/ARCHITECTURE.md "Teams and integrations"). A key calls the
 * OpenAI-compatible REST API (/v1/models, /v1/chat/completions) as its creator, within its limits. A key is its
 * creator's (personal) or a workspace's (workspaceId): those are created, listed and revoked by the workspace's
 * OWNERs and reach only the workspace's knowledge bases.
 */
export const apiKeysSchema = /* GraphQL */ `
  extend type Mutation {
    """
    A new key. Its secret is in the answer once (NewApiKey.key) and stored only as a hash: keep it.
    workspaceId: a key of that workspace (you must be its OWNER: FORBIDDEN otherwise, NOT_FOUND when you are not a
    member); it asks as you, only the workspace's knowledge bases, and stops working if you stop being its OWNER.
    Left out: your personal key.
    knowledgeBaseIds: the knowledge bases it may ask (each one the caller may ask; of a workspace key, each one the
    workspace's); empty or left out = all of the caller's (of a workspace key: all of the workspace's).
    creditsPerDay: micro-credits per UTC day; requestsPerMinute: requests per rolling minute; left out = no limit.
    """
    createApiKey(
      name: String!
      workspaceId: ID
      knowledgeBaseIds: [ID!]
      creditsPerDay: Micros
      requestsPerMinute: Int
    ): NewApiKey!
    "Its creator, an admin, or (a workspace key) any OWNER of its workspace; refused at once by every API instance. Revoking twice changes nothing."
    revokeApiKey(id: ID!): ApiKey!
  }

  extend type Query {
    """
    Your personal keys, revoked ones included (prefix only, never the secret). With workspaceId: the workspace's
    keys, whoever created them (its OWNERs and admins only: FORBIDDEN for other members, NOT_FOUND for non-members).
    """
    apiKeys(workspaceId: ID): [ApiKey!]!
  }

  type ApiKey {
    id: ID!
    name: String!
    "The secret's first characters (ka_live_abcd), to tell keys apart."
    prefix: String!
    "The workspace whose key it is; null: a personal key."
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
