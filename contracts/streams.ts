/** Stream names in one place (docs/ARCHITECTURE.md "Streams and events"). */
export const userStream = (userId: string) => `user-${userId}`;
export const emailStream = (emailSha256: string) => `email-${emailSha256}`;
export const walletStream = (userId: string) => `wallet-${userId}`;
export const knowledgeBaseStream = (knowledgeBaseId: string) => `kb-${knowledgeBaseId}`;
export const documentStream = (documentId: string) => `document-${documentId}`;
export const conversationStream = (conversationId: string) => `conversation-${conversationId}`;
export const turnStream = (turnId: string) => `turn-${turnId}`;
export const apiKeyStream = (apiKeyId: string) => `apikey-${apiKeyId}`;
export const workspaceStream = (workspaceId: string) => `workspace-${workspaceId}`;

export const STREAM_PREFIXES = ['user-', 'email-', 'wallet-', 'kb-', 'document-', 'conversation-', 'turn-', 'apikey-', 'workspace-'] as const;
