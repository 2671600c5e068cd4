/**
 * Identity resolvers: register, login, refreshToken, me, and users (an admin finding someone, e.g. to deposit to).
 * Inputs are validated here (zod schemas of contracts/identity.ts) before any command runs; login and register are
 * rate limited per client IP and per email; every mutation returns once the read models include its events
 * (read-your-writes), or, when they lag, with what was decided (never an error for a saved write).
 * Also exports the input/metadata helpers the other resolvers of this slice use, and the token-user lookup the
 * server's authenticator needs.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { DomainError } from '../../contracts/errors.ts';
import type { EventMetadata } from '../../contracts/eventstore.ts';
import { rememberFound } from '../../contracts/remember-found.ts';
import {
  loginInputSchema,
  registerInputSchema,
  usersSearchInputSchema,
  type IdentityCommands,
  type SessionResult,
} from '../../contracts/identity.ts';
import type { SqlExecutor } from '../../contracts/sql.ts';
import { findUserById, searchUsers } from '../../projections/identity/users-read-model.ts';
import { usersProjector } from '../../projections/identity/users-projector.ts';
import type { ResolveUser } from '../auth/authenticate.ts';
import type { AuthUser, TokenService } from '../auth/tokens.ts';
import type { AppContext, ResolverMap } from '../server/context.ts';

export interface IdentityResolverDeps {
  commands: IdentityCommands;
  tokens: Pick<TokenService, 'issueAccessToken'>;
  /** The read-model database (users table). */
  readModels: SqlExecutor;
}

/** Parses resolver arguments with a contract schema; the first problem becomes a BAD_USER_INPUT error. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.');
  throw new DomainError('BAD_USER_INPUT', issue?.message ?? 'invalid input', field ? { field } : undefined);
}

const CORRELATION_ID = /^[\w.:-]{1,128}$/;

/** Metadata of the events a mutation appends: the request's correlation id, a fresh command id, the caller. */
export function commandMetadata(ctx: AppContext): EventMetadata {
  const headers = ctx.reply?.request.headers ?? {};
  const given = headers['x-correlation-id'];
  // The request's trace (the operation's span once tracing has seen it; a valid header or a new trace before).
  const traceparent = ctx.traceparent ?? headers.traceparent;
  return {
    correlationId: typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID(),
    causationId: randomUUID(),
    ...(ctx.user && { userId: ctx.user.id }),
    ...(typeof traceparent === 'string' && traceparent.length <= 128 && { traceparent }),
  };
}

/** The authenticator's lookup of a token's user, told to forget a user whose account ended (deleteUser). */
export interface UserLookup extends ResolveUser {
  forget(userId: string): void;
}

/** How long another api process may still accept an erased user's access token. */
export const REMEMBER_USER_MS = 60_000;

/**
 * For the server's authenticator: a token whose user is not known, or was erased, is refused. Every request and
 * WebSocket asks this, so a user found is remembered (rememberFound): the read would otherwise queue behind the
 * projections' transactions before every question. A user not found yet (a token read before its read model caught
 * up) is asked again. Only an erasure changes what is remembered: this process forgets the user at once
 * (deleteUser calls forget), other api processes within REMEMBER_USER_MS.
 */
export const createUserLookup = (readModels: SqlExecutor): UserLookup => {
  const userById = rememberFound(
    async (id: string): Promise<AuthUser | undefined> => {
      const row = await findUserById(readModels, id);
      return row && row.erasedAt === null ? { id: row.id, role: row.role, email: row.email } : undefined;
    },
    10_000,
    REMEMBER_USER_MS,
  );
  return Object.assign((claims: AuthUser) => userById(claims.id), { forget: (userId: string) => userById.forget(userId) });
};

type Credentials = { email: string; password: string; displayName?: string | null };

export function createIdentityResolvers(deps: IdentityResolverDeps): ResolverMap {
  const authPayload = async (ctx: AppContext, session: SessionResult) => {
    // Not visible in time: the session is saved all the same, so its tokens are the answer (the access token is
    // accepted once the users read model has the user; extensions.notYetVisible says so).
    await ctx.waitUntilVisible(session.position, [usersProjector.name]);
    const { user } = session;
    return {
      accessToken: await deps.tokens.issueAccessToken({ id: user.id, role: user.role, email: user.email }),
      refreshToken: session.refreshToken,
      user,
    };
  };

  return {
    Mutation: {
      async register(_root: unknown, args: Credentials, ctx: AppContext) {
        await ctx.rateLimit('register', typeof args.email === 'string' ? args.email : undefined);
        const input = parseInput(registerInputSchema, args);
        return authPayload(ctx, await deps.commands.register(input, commandMetadata(ctx)));
      },
      async login(_root: unknown, args: Credentials, ctx: AppContext) {
        await ctx.rateLimit('login', typeof args.email === 'string' ? args.email : undefined);
        const input = parseInput(loginInputSchema, args);
        return authPayload(ctx, await deps.commands.login(input, commandMetadata(ctx)));
      },
      async refreshToken(_root: unknown, args: { refreshToken: string }, ctx: AppContext) {
        return authPayload(ctx, await deps.commands.refresh(args.refreshToken, commandMetadata(ctx)));
      },
    },
    Query: {
      async me(_root: unknown, _args: unknown, ctx: AppContext) {
        if (!ctx.user) return null;
        const user = await findUserById(deps.readModels, ctx.user.id);
        return user ?? null;
      },
      async users(_root: unknown, args: { search?: string | null; limit?: number | null }, ctx: AppContext) {
        ctx.requireAdmin();
        const { search, limit } = parseInput(usersSearchInputSchema, args);
        return searchUsers(deps.readModels, search, limit);
      },
    },
  };
}
