/**
 * Every projector of the product, in one list: the app runs them and `npm run replay` rebuilds them.
 * Feature owners: add your projector here (one import, one line in the array).
 */
import type { Projector } from '../../projections/runtime/index.ts';
import { usersProjector } from '../../projections/identity/users-projector.ts';
import { knowledgeBasesProjector } from '../../projections/knowledge-bases/knowledge-bases-projector.ts';
import { createChunksProjector } from '../../projections/chunks/projector.ts';
import { documentsProjector } from '../../projections/documents/documents-projector.ts';
import { walletProjector } from '../../projections/wallet/wallet-projector.ts';
import { createEmbedder } from '../../command-side/ingestion/embedding/create-embedder.ts';
import { usesDenseRanking } from '../../query-side/search/search-options.ts';
import type { Config } from '../config/config.ts';
import { embedderOptionsOf, searchSettingsOf } from './settings.ts';

export function createProjectors(config: Config): Projector[] {
  // Vectors are stored only when the search (built from the same settings in features.ts) gives them weight.
  const { weights } = searchSettingsOf(config, createEmbedder(embedderOptionsOf(config)).kind);
  const chunksProjector = createChunksProjector({
    dimensions: config.EMBEDDING_DIMENSIONS,
    storeVectors: usesDenseRanking(weights),
  });
  return [usersProjector, knowledgeBasesProjector, chunksProjector, documentsProjector, walletProjector];
}
