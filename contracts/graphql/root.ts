/**
 * The root of the public GraphQL contract (ARCHITECTURE.md): the Micros scalar and the three operation types, which
 * each slice extends with its own fields (the other files here). Outside tests rely on every name: add fields
 * freely, rename none. The server always serves this part: it also supplies the Micros scalar's resolver.
 */
export const rootSchema = /* GraphQL */ `
  "Integer micro-credits as a JSON number (safe integer); accepts a number or a numeric string."
  scalar Micros

  type Query
  type Mutation
  type Subscription
`;
