/** Identity's part of the public GraphQL contract: registration, login, tokens, the caller, finding users. */
export const identitySchema = /* GraphQL */ `
  extend type Mutation {
    "First user ever becomes admin."
    register(email: String!, password: String!, displayName: String): AuthPayload!
    login(email: String!, password: String!): AuthPayload!
    refreshToken(refreshToken: String!): AuthPayload!
  }

  extend type Query {
    me: User
    "Admin only: users whose email or displayName contains search (any case), by email; limit 1..100."
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
  }
`;
