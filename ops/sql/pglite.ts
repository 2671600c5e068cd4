/**
 * Sql over an embedded PGlite database that runs in its own worker thread (see pglite-worker.mjs).
 * PGlite has one connection: a small queue makes every query and every transaction take it in turn.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { SqlError, type Row, type Sql, type SqlExecutor } from '../../contracts/sql.ts';

interface WorkerError {
  message: string;
  code?: string;
  constraint?: string;
  detail?: string;
  statement?: number;
}

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WorkerError };

export interface PgliteSqlOptions {
  /** A directory to keep the database in (created when missing); omitted = in memory. */
  dataDir?: string;
  /** A gzipped datadir tarball to start from instead of running initdb (used only for a new database). */
  templateFile?: string;
}

/**
 * Serialises use of the single connection. The worker runs what it is sent strictly in order, so a holder only has
 * to keep the queue while it still has statements to send: a plain query lets the next one go as soon as it is
 * posted (the worker runs them back to back instead of waiting a round trip through this thread's event loop for
 * each), and a transaction holds the queue from BEGIN until COMMIT or ROLLBACK is posted.
 */
class ConnectionQueue {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `send` when it is its turn; the next holder may send once `send`'s promise resolves. */
  run<T>(send: () => Promise<{ reply: Promise<T> }>): Promise<T> {
    const sent = this.tail.then(send);
    this.tail = sent.then(
      () => undefined,
      () => undefined,
    );
    return sent.then(({ reply }) => reply);
  }
}

export async function createPgliteSql(options: PgliteSqlOptions = {}): Promise<Sql & { dump(): Promise<Uint8Array> }> {
  let templateFile = options.templateFile;
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    // PGlite refuses a template for a directory that already holds a database (a restart on the same DATA_DIR).
    if (existsSync(path.join(options.dataDir, 'PG_VERSION'))) templateFile = undefined;
  }
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
    workerData: { dataDir: options.dataDir, templateFile },
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const channels = new Map<string, Set<(payload: string) => void>>();
  let nextId = 1;
  let closed = false;

  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { ready: boolean; error?: WorkerError }) => {
      worker.off('error', reject);
      if (message.ready) resolve();
      else reject(new SqlError(`PGlite failed to open ${options.dataDir ?? 'in memory'}: ${message.error?.message}`));
    });
  });

  worker.on('message', (message: Reply[] | { notify: { channel: string; payload: string } }) => {
    if ('notify' in message) {
      for (const listener of channels.get(message.notify.channel) ?? []) listener(message.notify.payload);
      return;
    }
    for (const reply of message) {
      const call = pending.get(reply.id);
      if (!call) continue;
      pending.delete(reply.id);
      if (reply.ok) call.resolve(reply.result);
      else {
        const { message: text, code, constraint, detail, statement } = reply.error;
        call.reject(new SqlError(text, code, constraint, detail, statement));
      }
    }
  });
  worker.on('error', (error) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  });
  worker.on('exit', () => {
    closed = true;
    for (const call of pending.values()) call.reject(new SqlError('PGlite worker exited'));
    pending.clear();
  });

  // Statements sent in one go (a projection's batch, queries of several callers in the same tick) leave as one
  // message once the current task's synchronous part is done: every message wakes the worker thread, which costs
  // more than a short statement. The worker runs them in order and answers them together.
  let outbox: { id: number; op: string }[] = [];
  const flush = () => {
    worker.postMessage(outbox);
    outbox = [];
  };
  const call = (op: string, fields: Record<string, unknown> = {}): Promise<unknown> => {
    if (closed) return Promise.reject(new SqlError('PGlite database is closed'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (outbox.push({ id, op, ...fields }) === 1) queueMicrotask(flush);
    });
  };

  const direct: SqlExecutor = {
    query: <T extends Row = Row>(sql: string, params: readonly unknown[] = []) =>
      call('query', { sql, params }) as Promise<T[]>,
    exec: async (sql: string) => {
      await call('exec', { sql });
    },
  };
  const queue = new ConnectionQueue();

  return {
    dialect: 'pglite',
    query: (sql, params) => queue.run(async () => ({ reply: direct.query(sql, params) })),
    exec: (sql) => queue.run(async () => ({ reply: direct.exec(sql) })),
    batch: (statements) =>
      queue.run(async () => ({
        reply: call('batch', { statements: statements.map(({ text, params }) => ({ sql: text, params: params ?? [] })) }) as Promise<Row[][]>,
      })),
    transaction: (fn) =>
      queue.run(async () => {
        // BEGIN is not waited for: the callback's first statement is queued behind it in the worker, and fails if it did.
        const begun = direct.exec('BEGIN');
        begun.catch(() => undefined);
        let result: Awaited<ReturnType<typeof fn>>;
        try {
          result = await fn(direct);
          await begun;
        } catch (error) {
          const rolledBack = direct.exec('ROLLBACK').catch(() => undefined);
          return { reply: rolledBack.then(() => Promise.reject(error as Error)) };
        }
        return { reply: direct.exec('COMMIT').then(() => result) };
      }),
    async listen(channel, onNotify) {
      const listeners = channels.get(channel) ?? new Set();
      channels.set(channel, listeners);
      listeners.add(onNotify);
      if (listeners.size === 1) await queue.run(async () => ({ reply: call('listen', { channel }) }));
      return async () => {
        listeners.delete(onNotify);
        if (listeners.size === 0 && !closed) await queue.run(async () => ({ reply: call('unlisten', { channel }) }));
      };
    },
    dump: () => queue.run(async () => ({ reply: call('dump') as Promise<Uint8Array> })),
    async close() {
      if (closed) return;
      await queue.run(async () => ({ reply: call('close') })).catch(() => undefined);
      await worker.terminate();
    },
  };
}
