/**
 * What every resolver receives as its context (merged into mercurius's own context), over HTTP and over
 * WebSocket alike.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { IResolvers, MercuriusContext } from 'mercurius';
import type { Position } from '../../contracts/position.ts';
import { authContext, type AuthContext } from '../auth/authenticate.ts';
import type { AuthUser } from '../auth/tokens.ts';
import type { RateLimitCheck, RateLimitedAction } from './rate-limit.ts';
import { waitUntilVisible, type PendingWrite, type WaitForPosition } from './read-your-writes.ts';

export interface RequestContext extends AuthContext {
  /** The client's IP (fastify's request.ip, honouring trustProxy). */
  clientIp: string;
  /**
   * Read-your-writes (read-your-writes.ts): true once the read models include `position` (a mutation's append
   * position; true at once for undefined, nothing appended), false when they do not within
   * READ_YOUR_WRITES_TIMEOUT_MS or a projector is stopped. Never rejects: the write is saved either way. On false,
   * answer with what the command decided; the response lists the write in `extensions.notYetVisible`.
   * Name the projectors whose tables the answer reads (e.g. ['users']) so an unrelated lagging or failed
   * projector does not hold the answer up; default: all.
   */
  waitUntilVisible(position: Position | undefined, projectors?: readonly string[]): Promise<boolean>;
  /** Writes of this request the read models did not show in time (the server puts them in the response). */
  pendingWrites: PendingWrite[];
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
  const pendingWrites: PendingWrite[] = [];
  const readYourWrites = { waitForPosition: deps.waitForPosition, timeoutMs: deps.readYourWritesTimeoutMs };
  return {
    ...authContext(user),
    clientIp: request.ip,
    waitUntilVisible: (position, projectors) => waitUntilVisible(readYourWrites, pendingWrites, position, projectors),
    pendingWrites,
    rateLimit: (action, subject) => deps.rateLimit(request, action, subject),
    publish: deps.publish,
    traceparent: traceparentOf(request),
  };
}
