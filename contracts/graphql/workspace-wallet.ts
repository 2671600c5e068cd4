/**
 * A workspace's own wallet in the public GraphQL contract: its owners fund it from their wallets, and from the first
 * funding on it pays for the questions asked of the workspace's knowledge bases.
 */
export const workspaceWalletSchema = /* GraphQL */ `
  extend type Mutation {
    """
    OWNER (or admin) only: moves amount micro-credits from your wallet into the workspace's; the first funding opens
    it, and from then on it pays for the questions asked of the workspace's knowledge bases. INSUFFICIENT_FUNDS when
    your available balance is smaller (nothing changes). Idempotent per reference: the same reference and amount
    again changes nothing; another amount (or workspace) is CONFLICT.
    """
    fundWorkspace(workspaceId: ID!, amount: Micros!, reference: String!): Workspace!
  }

  extend type Workspace {
    "The workspace's own wallet, for its OWNERs (and admins) once the first funding opened it; null otherwise."
    wallet: Wallet
  }
`;
