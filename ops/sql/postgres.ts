/** Sql over a real PostgreSQL server through postgres.js (a pool). */
import postgres from 'postgres';
import { SqlError, type Row, type Sql, type SqlExecutor } from '../../contracts/sql.ts';

const toNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${value} is beyond 2^53`);
  return n;
};

function normalizeError(error: unknown, statement?: number): unknown {
  if (error instanceof postgres.PostgresError) {
    return new SqlError(error.message, error.code, error.constraint_name, error.detail, statement);
  }
  return error;
}

type Driver = postgres.Sql | postgres.TransactionSql;

function executor(driver: Driver): SqlExecutor {
  return {
    async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
      try {
        const rows = await driver.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true });
        return rows as unknown as T[];
      } catch (error) {
        throw normalizeError(error);
      }
    },
    async exec(text: string): Promise<void> {
      try {
        await driver.unsafe(text).simple();
      } catch (error) {
        throw normalizeError(error);
      }
    },
  };
}

export interface PostgresSqlOptions {
  max?: number;
  /** Application name shown in pg_stat_activity. */
  name?: string;
}

export function createPostgresSql(url: string, options: PostgresSqlOptions = {}): Sql {
  const driver = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: options.name ?? 'knowledge-assistant' },
    types: {
      int8: { to: 20, from: [20], serialize: (value: number | bigint) => String(value), parse: toNumber },
    },
  });
  return {
    dialect: 'postgres',
    ...executor(driver),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      try {
        return (await driver.begin((tx) => fn(executor(tx)))) as T;
      } catch (error) {
        throw normalizeError(error);
      }
    },
    async batch(statements) {
      let failed: number | undefined;
      try {
        // Queries made in one go inside begin() are pipelined on its connection.
        return (await driver.begin((tx) =>
          statements.map((statement, index) =>
            tx.unsafe(statement.text, (statement.params ?? []) as postgres.ParameterOrJSON<never>[], { prepare: true }).catch((error: unknown) => {
              failed ??= index;
              throw error;
            }),
          ),
        )) as unknown as Row[][];
      } catch (error) {
        throw normalizeError(error, failed);
      }
    },
    async listen(channel, onNotify) {
      const { unlisten } = await driver.listen(channel, onNotify);
      return unlisten;
    },
    async close() {
      await driver.end({ timeout: 5 });
    },
  };
}
