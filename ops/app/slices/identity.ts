/**
 * Identity: registration, login and refresh tokens, erasing a user (deleteUser), the users read model, and the
 * lookup of a token's user (which deleteUser tells to forget the erased user).
 */
import { randomUUID } from 'node:crypto';
import { createIdentityCommands } from '../../../command-side/identity/identity-commands.ts';
import { createArgon2Hasher } from '../../../command-side/identity/passwords.ts';
import { identitySchema } from '../../../contracts/graphql/identity.ts';
import { usersProjector } from '../../../projections/identity/users-projector.ts';
import { createIdentityResolvers, createUserLookup, type UserLookup } from '../../../query-side/resolvers/identity.ts';
import { createUserErasureResolvers } from '../../../query-side/resolvers/user-erasure.ts';
import type { Slice } from '../slice.ts';

/** What later slices take from identity: the lookup of a user's account (closed accounts are not found). */
export interface IdentityParts {
  users: UserLookup;
}

export const identitySlice: Slice<IdentityParts> = {
  name: 'identity',
  schema: identitySchema,
  projectors: () => [usersProjector],
  create(deps) {
    const commands = createIdentityCommands({
      now: () => new Date(),
      newId: randomUUID,
      store: deps.eventStore,
      passwords: createArgon2Hasher(),
      refreshTokenTtlSeconds: deps.config.REFRESH_TOKEN_TTL_SECONDS,
      keys: deps.personalDataKeys,
    });
    const users = createUserLookup(deps.readModels);
    return {
      resolvers: [
        createIdentityResolvers({ commands, tokens: deps.tokens, readModels: deps.readModels }),
        createUserErasureResolvers({ commands, readModels: deps.readModels, users }),
      ],
      resolveUser: users,
      provides: { users },
    };
  },
};
