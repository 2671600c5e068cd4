/**
 * What every resolver receives as its context (merged into mercurius's own context), over HTTP and over
 * WebSocket alike.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { IResolvers, MercuriusContext } from 'mercurius';
import { DomainError } from '../../contracts/errors.ts';
import type { Position } from '../../contracts/position.ts';
import { authContext, type AuthContext } from '../auth/authenticate.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { RateLimitCheck, RateLimitedAction } from './rate-limit.ts';

/** Waits until the named projectors (default: all) have processed `position`; rejects after timeoutMs. */
export type WaitForPosition = (
  position: Position,
  timeoutMs: number,
  projectors?: readonly string[],
) => Promise<void>;

export interface RequestContext extends AuthContext {
  /** The client's IP (fastify's request.ip, honouring trustProxy). */
  clientIp: string;
  /**
   * Read-your-writes: resolves once the read models include `position` (a mutation's append position).
   * No-op for undefined (nothing was appended). UNAVAILABLE when projections lag beyond the configured bound.
   * Name the projectors whose tables the answer reads (e.g. ['users']) so an unrelated lagging or failed
   * projector does not hold the answer up; default: all.
   */
  waitForPosition(position: Position | undefined, projectors?: readonly string[]): Promise<void>;
  /** Counts an attempt of `action` per client IP and per subject (e.g. the email); RATE_LIMITED when over. */
  rateLimit(action: RateLimitedAction, subject?: string): Promise<void>;
  /** Publishes to subscribers on every api instance (topics are feature-defined strings). */
  publish(topic: string, payload: unknown): Promise<void>;
  /**
   * W3C traceparent of this request: the client's `traceparent` header when valid, else a new trace. Put it in
   * the metadata of the events a command appends, so a trace follows the work through sagas and workers.
   */
  traceparent: string;
}

export type AppContext = MercuriusContext & RequestContext;

/**
 * A feature's resolvers: Query/Mutation/Subscription fields and type resolvers, merged by the server. The source
 * type is `any` so that type resolvers can name their parent row type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ResolverMap = IResolvers<any, AppContext>;

export interface ContextDeps {
  waitForPosition: WaitForPosition | undefined;
  readYourWritesTimeoutMs: number;
  rateLimit: RateLimitCheck;
  publish(topic: string, payload: unknown): Promise<void>;
}

const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

function traceparentOf(request: FastifyRequest): string {
  const header = request.headers.traceparent;
  if (typeof header === 'string' && TRACEPARENT.test(header.trim().toLowerCase())) return header.trim().toLowerCase();
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

export function buildRequestContext(deps: ContextDeps, request: FastifyRequest, user: AuthUser | undefined): RequestContext {
  return {
    ...authContext(user),
    clientIp: request.ip,
    async waitForPosition(position, projectors) {
      if (position === undefined || !deps.waitForPosition) return;
      try {
        await deps.waitForPosition(position, deps.readYourWritesTimeoutMs, projectors);
      } catch (error) {
        if (error instanceof DomainError) throw error;
        throw new DomainError('UNAVAILABLE', 'the change was saved but is not visible yet; query again shortly', {
          position,
        });
      }
    },
    rateLimit: (action, subject) => deps.rateLimit(request, action, subject),
    publish: deps.publish,
    traceparent: traceparentOf(request),
  };
}
