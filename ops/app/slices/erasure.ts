/**
 * Erasure of personal data (contracts/personal-data.ts): the reactor that shreds the keys every recorded erasure
 * names (UserErased, DocumentDeleted), in ROLE=saga. The commands shred at once themselves; this one finishes an
 * erasure whose process died after recording it, and erases documents deleted before sealing existed.
 */
import { startErasureShredder } from '../../../command-side/personal-data/erasure-shredder.ts';
import type { Reactor } from '../../../command-side/reactor.ts';
import type { Slice } from '../slice.ts';

export const erasureSlice: Slice = {
  name: 'erasure',
  create(deps) {
    let shredder: Reactor | undefined;
    return {
      services: [
        {
          name: 'erasure shredder',
          roles: ['saga'],
          async start() {
            shredder = await startErasureShredder({
              store: deps.eventStore,
              keys: deps.personalDataKeys,
              sql: deps.readModels,
              onError: (error) => deps.logger.warn({ err: error }, 'shredding the keys of an erasure failed; retrying'),
            });
          },
          stop: async () => shredder?.stop(),
        },
      ],
    };
  },
};
