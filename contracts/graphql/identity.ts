/** Identity's part of the public GraphQL contract: registration, login, tokens, the caller, finding and erasing users. */
export const identitySchema = /* GraphQL */ `
  extend type Mutation {
    "First user ever becomes admin."
    register(email: String!, password: String!, displayName: String): AuthPayload!
    login(email: String!, password: String!): AuthPayload!
    refreshToken(refreshToken: String!): AuthPayload!
    "The user themselves or an admin (not the admin account): erases their email and name everywhere, log included (crypto-shredding), and closes the account; the wallet's ledger stays. Idempotent."
    deleteUser(id: ID!): User!
  }

  extend type Query {
    me: User
    "Admin only: users whose email or displayName contains search (any case), by email; limit 1..100; erased users are left out."
    users(search: String, limit: Int = 20): [User!]!
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
    "When the user was erased (email and displayName then read [erased]); null for a live account."
    erasedAt: String
  }
`;
