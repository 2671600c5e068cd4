/**
 * The slices of the app, in wiring order: a slice may use what a slice above it provides (deps.use). The order is
 * also that of the projectors (/healthz, replay) and of the services' start; they stop in reverse.
 * A new slice is its module in ./slices plus one line here.
 */
import { apiKeysSlice } from './slices/api-keys.ts';
import { auditSlice } from './slices/audit.ts';
import { chatSlice } from './slices/chat.ts';
import { documentsSlice } from './slices/documents.ts';
import { erasureSlice } from './slices/erasure.ts';
import { identitySlice } from './slices/identity.ts';
import { knowledgeBasesSlice } from './slices/knowledge-bases.ts';
import { replaySlice } from './slices/replay.ts';
import { searchSlice } from './slices/search.ts';
import { walletSlice } from './slices/wallet.ts';
import { workspaceWalletSlice } from './slices/workspace-wallet.ts';
import { workspacesSlice } from './slices/workspaces.ts';
import type { Slice } from './slice.ts';

export const APP_SLICES: readonly Slice<unknown>[] = [
  identitySlice,
  workspacesSlice,
  knowledgeBasesSlice,
  searchSlice,
  documentsSlice,
  walletSlice,
  workspaceWalletSlice,
  chatSlice,
  apiKeysSlice,
  auditSlice,
  erasureSlice,
  replaySlice,
];
