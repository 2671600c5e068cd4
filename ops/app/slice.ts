/**
 * A slice (identity, knowledge bases, search, documents, wallet, chat …) as the composition root sees it: one module
 * in ops/app/slices that hands over all the slice adds to the app, namely its part of the public GraphQL schema, its
 * projectors, and, wired on the shared infrastructure, its resolvers, REST routes, background services and feeds.
 * The sides of a slice stay in their layers (command-side, projections, query-side); its module is the one place
 * that names them together, as a slice's index does in Emmett's samples (`export default { api, projections }`).
 * Adding a slice is its module plus one line in app-slices.ts.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EventStore } from '../../contracts/eventstore.ts';
import type { KeyShredder } from '../../contracts/personal-data.ts';
import type { Position } from '../../contracts/position.ts';
import type { Sql } from '../../contracts/sql.ts';
import type { AfterCommit, ProjectionRuntime, Projector } from '../../projections/runtime/index.ts';
import type { ResolveUser } from '../../query-side/auth/authenticate.ts';
import type { TokenService } from '../../query-side/auth/tokens.ts';
import type { ResolverMap } from '../../query-side/server/context.ts';
import type { ServerPlugin } from '../../query-side/server/create-server.ts';
import type { PubSubBus } from '../../query-side/server/pubsub.ts';
import type { Config } from '../config/config.ts';
import type { BackgroundService } from './background-service.ts';
import type { VectorSupport } from './vector-support.ts';

/** What the databases this process opened can do, probed at start (the same answer in every process). */
export interface DatabaseFeatures {
  /** pgvector in the search index's database; without it, search is lexical alone. */
  searchIndexVectors: VectorSupport;
}

/** The shared infrastructure every slice is wired on. */
export interface Infrastructure {
  config: Config;
  /** The log, with personal data sealed on append and opened (or erased) on read (ops/app/personal-data.ts). */
  eventStore: EventStore;
  /** Erases subjects' personal data in the log by shredding their keys (deleteUser, deleteDocument). */
  personalDataKeys: KeyShredder;
  /** The read-model database (projections write it, resolvers read it). */
  readModels: Sql;
  /** The search index's database (the chunks projection writes it, search reads it). */
  searchIndex: Sql;
  features: DatabaseFeatures;
  runtime: ProjectionRuntime;
  /**
   * Resolves once the named projectors (default: all) reflect `position` (bounded by READ_YOUR_WRITES_TIMEOUT_MS).
   */
  waitForPosition(position: Position, projectors?: readonly string[]): Promise<void>;
  /** Publishes to GraphQL subscribers on every api instance. */
  bus: PubSubBus;
  tokens: TokenService;
  logger: Logger;
  /** The app's Prometheus registry: a slice registers the metrics of what it runs (ops/observability/metrics.ts). */
  metrics: Registry;
  /** Every slice's projectors as this process builds them (replay). */
  projectors: readonly Projector[];
  /** The database a projector writes (readModels, or the search index). */
  databaseOf(projector: string): Sql;
}

export interface SliceDeps extends Infrastructure {
  /**
   * What a slice listed earlier in app-slices.ts provides (one command handler per process, say, that several slices
   * must share). Asking for a slice listed later, or one that provides nothing, is a start-up error.
   */
  use<P>(slice: Slice<P>): P;
}

/** What a slice adds to the running app. */
export interface SliceParts {
  resolvers?: readonly ResolverMap[];
  /** REST routes and hooks on the HTTP server (e.g. uploads). */
  plugins?: readonly ServerPlugin[];
  services?: readonly BackgroundService[];
  /** Called after projectors commit: publish changes to subscribers once their rows are visible. */
  feeds?: readonly AfterCommit[];
  /** Looks a token's user up; unknown users are refused. Identity's, and only one slice may give it. */
  resolveUser?: ResolveUser;
}

export interface Slice<Provides = void> {
  readonly name: string;
  /** Its part of the public GraphQL schema (contracts/graphql), served with contracts/graphql/root.ts. */
  readonly schema?: string;
  /**
   * Its projectors, from the configuration and what the databases can do: the app runs them and `npm run replay`
   * rebuilds them. Their names depend on neither.
   */
  projectors?(config: Config, features: DatabaseFeatures): Projector[];
  /** Wires the slice; `provides` is what later slices get from deps.use(thisSlice). */
  create?(deps: SliceDeps): WiredSlice<Provides> | Promise<WiredSlice<Provides>>;
}

export interface WiredSlice<Provides> extends SliceParts {
  provides?: Provides;
}
