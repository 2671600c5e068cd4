// The thread that owns one PGlite database. PGlite runs synchronously (WASM) and would block the server's event
// loop for milliseconds per statement, so it lives here and the main thread talks to it by messages.
// Plain JavaScript on purpose: worker threads are not transpiled by tsx or vitest.
import { parentPort, workerData } from 'node:worker_threads';
import { readFile } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { preparedQueries } from './pglite-prepared.mjs';
import { yieldOnWake } from './yield-on-wake.mjs';

const toNumber = (value) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${value} is beyond 2^53`);
  return n;
};

const { dataDir, templateFile } = workerData;
yieldOnWake();
const options = { extensions: { vector }, parsers: { [types.INT8]: toNumber } };
if (templateFile) options.loadDataDir = new Blob([await readFile(templateFile)]);

const serializeError = (error) => ({
  message: error?.message ?? String(error),
  code: error?.code,
  constraint: error?.constraint,
  detail: error?.detail,
  statement: error?.statement,
});

let db;
try {
  db = await PGlite.create(dataDir ?? 'memory://', options);
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, error: serializeError(error) });
  process.exit(1);
}

const listeners = new Map();
const prepared = preparedQueries(db);

const operations = {
  query({ sql, params }) {
    return prepared.query(sql, params ?? []);
  },
  async exec({ sql }) {
    await db.exec(sql);
    return null;
  },
  // A transaction in one message, and in one pass through PGlite (pglite-prepared.mjs).
  batch({ statements }) {
    return prepared.batch(statements.map(({ sql, params }) => ({ sql, params: params ?? [] })));
  },
  async listen({ channel }) {
    if (!listeners.has(channel)) {
      listeners.set(channel, await db.listen(channel, (payload) => parentPort.postMessage({ notify: { channel, payload } })));
    }
    return null;
  },
  async unlisten({ channel }) {
    const unlisten = listeners.get(channel);
    listeners.delete(channel);
    if (unlisten) await unlisten();
    return null;
  },
  async dump() {
    const file = await db.dumpDataDir('gzip');
    return new Uint8Array(await file.arrayBuffer());
  },
  async close() {
    await db.close();
    return null;
  },
};

async function run(message) {
  try {
    return { id: message.id, ok: true, result: await operations[message.op](message) };
  } catch (error) {
    return { id: message.id, ok: false, error: serializeError(error) };
  }
}

// Strictly one after another, in the order sent: the main thread sends a transaction's statements without waiting
// for each reply, and a query sent after BEGIN must run inside that transaction, never beside it. Statements the
// main thread sent in one go come as one message (an array), and their replies go back as one: each message
// between the threads wakes the other one, which costs more than a short statement.
let tail = Promise.resolve();
parentPort.on('message', (message) => {
  const batch = Array.isArray(message) ? message : [message];
  tail = tail.then(async () => {
    const replies = [];
    for (const statement of batch) replies.push(await run(statement));
    parentPort.postMessage(replies);
    if (batch.some((statement) => statement.op === 'close')) process.exit(0);
  });
});
