/**
 * Chat: questions answered from a knowledge base with citations, streamed token by token and paid from the wallet.
 * Its part of the public schema is served already (ARCHITECTURE.md names it); its commands, projectors, resolvers
 * and billing saga come with the chat slice itself, here, taking the wallet handler from deps.use(walletSlice) and
 * the embedder from deps.use(searchSlice).
 */
import { chatSchema } from '../../../contracts/graphql/chat.ts';
import type { Slice } from '../slice.ts';

export const chatSlice: Slice = {
  name: 'chat',
  schema: chatSchema,
};
