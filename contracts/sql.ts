/**
 * The SQL port: one client shape for PGlite (embedded, in a worker thread) and a real Postgres server (postgres.js),
 * so the event store, the reactors and every projection are written once. Pure types, like the event-store port
 * (eventstore.ts): the drivers live in ops/sql and the composition root hands a client to whoever needs one.
 * Conventions both drivers keep:
 * - parameters are $1..$n; pass JSON as text and cast (`$1::text::jsonb`), vectors as text (`$1::text::vector`);
 * - int8 columns come back as JS numbers (throws beyond 2^53), numeric as strings, jsonb as parsed values;
 * - stay within PostgreSQL 15 SQL (PGlite is 18).
 */
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters. */
  exec(text: string): Promise<void>;
}

/** One statement of a batch. */
export interface Statement {
  text: string;
  params?: readonly unknown[];
}

export interface Sql extends SqlExecutor {
  readonly dialect: 'pglite' | 'postgres';
  /**
   * Runs the statements in order in one transaction (all or none) and resolves with each one's rows, in one round
   * trip: PGlite gets them as one message and runs them in one pass (one implicit transaction), Postgres
   * pipelined. A failure is a SqlError whose `statement` is the index of the statement that failed.
   */
  batch(statements: readonly Statement[]): Promise<Row[][]>;
  /**
   * Runs fn in one transaction (committed when fn resolves, rolled back when it throws). On PGlite the single
   * connection is held for the whole callback: inside it use only `tx`, never the outer client, or it deadlocks.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; resolves with an unlisten function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** A database error with its SQLSTATE, the same shape from both drivers. */
export class SqlError extends Error {
  override name = 'SqlError';
  readonly code: string | undefined;
  readonly constraint: string | undefined;
  readonly detail: string | undefined;
  /** Of a batch: the index of the statement that failed. */
  readonly statement: number | undefined;

  constructor(message: string, code?: string, constraint?: string, detail?: string, statement?: number) {
    super(message);
    this.code = code;
    this.constraint = constraint;
    this.detail = detail;
    this.statement = statement;
  }
}

export const UNIQUE_VIOLATION = '23505';
export const SERIALIZATION_FAILURE = '40001';
export const RAISE_EXCEPTION = 'P0001';
