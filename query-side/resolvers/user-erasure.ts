/**
 * deleteUser(id): the user themselves or an admin erases a user's personal data (contracts/personal-data.ts) and
 * closes the account. The command records UserErased and shreds the key; the answer waits until the users read
 * model shows the erasure, and this process's authenticator forgets the user at once, so their access tokens stop
 * working with the answer.
 */
import { z } from 'zod';
import type { IdentityCommands } from '../../contracts/identity.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { ERASED } from '../../contracts/personal-data.ts';
import { findUserById } from '../../projections/identity/users-read-model.ts';
import { usersProjector } from '../../projections/identity/users-projector.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';
import { commandMetadata, parseInput, type UserLookup } from './identity.ts';

export interface UserErasureResolverDeps {
  commands: Pick<IdentityCommands, 'erase'>;
  readModels: SqlExecutor;
  users: Pick<UserLookup, 'forget'>;
}

const deleteUserInputSchema = z.object({ id: z.string().min(1, 'id must not be empty').max(200, 'id is too long') });

export function createUserErasureResolvers(deps: UserErasureResolverDeps): ResolverMap {
  return {
    Mutation: {
      async deleteUser(_root: unknown, args: { id: string }, ctx: AppContext) {
        const caller = ctx.requireUser();
        const { id } = parseInput(deleteUserInputSchema, args);
        const erased = await deps.commands.erase(id, { id: caller.id, role: caller.role }, commandMetadata(ctx));
        deps.users.forget(id);
        const visible = await ctx.waitUntilVisible(erased.position, [usersProjector.name]);
        const row = visible ? await findUserById(deps.readModels, id) : undefined;
        // The erasure is recorded and the key shredded even when the read model lags: answer what was decided.
        return row ?? { id, email: ERASED, displayName: ERASED, role: erased.role, erasedAt: erased.erasedAt };
      },
    },
  };
}
