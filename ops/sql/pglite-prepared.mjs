// Queries with parameters as named prepared statements, each run in one pass through PGlite.
//
// PGlite's own db.query() parses, plans and describes the statement again on every call, and enters the WASM
// Postgres once per protocol message (parse, describe, bind, describe, execute, sync: six entries). Our statements
// are few and repeated (an append, a log page, a projection's upserts), so each text is prepared once per
// connection and then run as bind + execute + sync in one buffer. Measured on the event store's append, log page and
// stream read: 25-60% less CPU per statement (docs/ARCHITECTURE.md, Chat figures).
//
// A prepared statement keeps the row shape it was described with. When a table under it changes shape (a projection
// rebuilt and swapped in), Postgres refuses it ("cached plan must not change result type"): it is forgotten, and run
// again at once when no transaction is open (inside one the error stands, and the transaction's retry prepares anew).
// Plain JavaScript: it runs in the PGlite worker thread.
import { parse, protocol } from '@electric-sql/pglite';

const { serialize } = protocol;

/** Statement texts kept prepared per connection, least recently used dropped first. */
const MAX_PREPARED = 256;
/** feature_not_supported ("cached plan must not change result type"), invalid_sql_statement_name. */
const STALE_STATEMENT = new Set(['0A000', '26000']);

const concat = (parts) => {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

const run = (db, parts) => db.execProtocol(concat(parts), { syncToFs: false });

export function preparedQueries(db) {
  const statements = new Map();
  let named = 0;

  /** Whether a transaction is open (ReadyForQuery's status: 'I' idle, 'T' in one, 'E' in a failed one). */
  const inTransaction = async () => {
    const { messages } = await run(db, [serialize.sync()]);
    return messages.findLast((message) => message.name === 'readyForQuery')?.status !== 'I';
  };

  /** Names are never reused, so a Close that cannot run (a failed transaction) leaves only an unused name. */
  async function forget(sql) {
    const statement = statements.get(sql);
    if (!statement) return;
    statements.delete(sql);
    await run(db, [serialize.close({ type: 'S', name: statement.name }), serialize.sync()]).catch(() => undefined);
  }

  async function prepare(sql) {
    const name = `ka_${++named}`;
    const { messages } = await run(db, [serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]);
    const parameters = messages.find((message) => message.name === 'parameterDescription');
    const statement = {
      name,
      serializers: (parameters?.dataTypeIDs ?? []).map((type) => db.serializers[type]),
      rowDescription: messages.find((message) => message.name === 'rowDescription'),
    };
    statements.set(sql, statement);
    if (statements.size > MAX_PREPARED) await forget(statements.keys().next().value);
    return statement;
  }

  /** A prepared statement's rows from the messages of its execution (the row shape was described at prepare). */
  const rowsOf = (statement, messages) =>
    parse.parseResults(statement.rowDescription ? [statement.rowDescription, ...messages] : messages, db.parsers)[0]?.rows ?? [];

  async function statementFor(sql) {
    const statement = statements.get(sql);
    if (!statement) return prepare(sql);
    statements.delete(sql); // re-inserted: the map's order is the order of last use
    statements.set(sql, statement);
    return statement;
  }

  const valuesFor = (statement, params) =>
    params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = statement.serializers[i];
      return serializer ? serializer(value) : value.toString();
    });

  async function execute(sql, params) {
    const statement = await statementFor(sql);
    const values = valuesFor(statement, params);
    const { messages } = await run(db, [serialize.bind({ statement: statement.name, values }), serialize.execute({}), serialize.sync()]);
    return rowsOf(statement, messages);
  }

  /**
   * Statements in one pass: bind and execute each, then one sync, so that they run as one implicit transaction (all
   * or none: Postgres rolls it back at the sync when one fails) without a BEGIN and a COMMIT of their own, each a
   * pass through PGlite. The rows of each; a failure carries the index of the statement that failed.
   */
  async function batchOnce(list) {
    const planned = [];
    for (const { sql, params } of list) planned.push({ statement: await statementFor(sql), params });
    const parts = [];
    for (const { statement, params } of planned) parts.push(serialize.bind({ statement: statement.name, values: valuesFor(statement, params) }), serialize.execute({}));
    parts.push(serialize.sync());
    const { messages } = await db.execProtocol(concat(parts), { syncToFs: false, throwOnError: false });
    const results = [];
    let current = [];
    for (const message of messages) {
      if (message.name === 'error') throw Object.assign(message, { statement: results.length });
      current.push(message);
      if (message.name !== 'commandComplete') continue;
      results.push(rowsOf(planned[results.length].statement, current));
      current = [];
    }
    return results;
  }

  return {
    /** Statements as one transaction, in one pass; see batchOnce. */
    async batch(list) {
      if (list.length === 0) return [];
      try {
        return await batchOnce(list);
      } catch (error) {
        const stale = STALE_STATEMENT.has(error?.code) ? list[error.statement]?.sql : undefined;
        if (stale === undefined || !statements.has(stale)) throw error;
        // Nothing of the batch stayed (its transaction was rolled back): prepare that statement anew and run again.
        await forget(stale);
        return batchOnce(list);
      }
    },
    /** The rows of one statement with parameters (PGlite's db.query(sql, params).rows). */
    async query(sql, params) {
      try {
        return await execute(sql, params);
      } catch (error) {
        if (!STALE_STATEMENT.has(error?.code) || !statements.has(sql)) throw error;
        await forget(sql);
        if (await inTransaction()) throw error;
        return execute(sql, params);
      }
    },
  };
}
