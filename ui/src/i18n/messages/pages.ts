/** The pages' messages, merged (each page owns its file). */
import { apiKeys } from './api-keys';
import { audit } from './audit';
import { chat } from './chat';
import { knowledgeBases } from './knowledge-bases';
import { wallet } from './wallet';
import { workspaces } from './workspaces';

export const pageMessages = {
  en: { chat: chat.en, kb: knowledgeBases.en, wallet: wallet.en, audit: audit.en, apiKeys: apiKeys.en, workspaces: workspaces.en },
  zh: { chat: chat.zh, kb: knowledgeBases.zh, wallet: wallet.zh, audit: audit.zh, apiKeys: apiKeys.zh, workspaces: workspaces.zh },
};
