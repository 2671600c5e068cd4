/**
 * The answer feed on Redis (REDIS_URL): the saga may run in one process and the subscriber sit on another api
 * instance. Each turn has a Redis Stream as its short buffer (entry id = the last seq of the entry, trimmed with
 * MAXLEN, expiring `retainMs` after its last entry) and a pub/sub channel for live delivery.
 *
 * publish() never waits: chunks queue per turn and go out on the next turn of the event loop, one entry per turn
 * and flush, all turns in one pipeline. A Lua script appends the entry, renews the expiry and publishes it in one
 * step, and refuses an entry whose seq is not above the turn's last (a repeat from another process, say a saga
 * instance taking over), which then reaches no reader either; repeats within this process are dropped before.
 */
import { Redis } from 'ioredis';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';
import { RedisTurnChannels } from './redis-turn-channels.ts';
import { DEFAULT_RETAIN_MS, type AnswerBufferOptions, type StreamingAnswerFeed } from './streaming-answer-feed.ts';

export interface RedisAnswerFeedOptions extends AnswerBufferOptions {
  url: string;
  /** Prefix of the turns' stream keys and channels. Default "ka:answer:". */
  prefix?: string;
  /** Entries kept per turn (each holds one or more chunks). Default 10,000. */
  maxEntries?: number;
  onError?: (error: unknown) => void;
}

// KEYS[1] the turn's stream; ARGV: entry id, chunks (JSON), retain ms, max entries, channel.
const APPEND_CHUNKS = `
local added = redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], ARGV[1], 'c', ARGV[2])
if type(added) == 'table' and added.err then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[5], ARGV[2])
return 1`;

interface AppendCommand {
  appendAnswerChunks(key: string, id: string, chunks: string, retainMs: number, maxEntries: number, channel: string): unknown;
}

const MAX_TRACKED_TURNS = 10_000;

type StreamEntry = [id: string, fields: string[]];

const chunksOf = (entries: readonly StreamEntry[]): AnswerChunk[] =>
  entries.flatMap(([, fields]) => {
    const at = fields.indexOf('c');
    return at >= 0 ? (JSON.parse(fields[at + 1]!) as AnswerChunk[]) : [];
  });

export function createRedisAnswerFeed(options: RedisAnswerFeedOptions): StreamingAnswerFeed & { readonly channels: RedisTurnChannels } {
  const prefix = options.prefix ?? 'ka:answer:';
  const retainMs = options.retainMs ?? DEFAULT_RETAIN_MS;
  const maxEntries = options.maxEntries ?? 10_000;
  const onError = options.onError ?? (() => undefined);
  // Connects on its first command: a process that neither publishes nor streams (a worker) opens nothing.
  const redis = new Redis(options.url, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', onError);
  redis.defineCommand('appendAnswerChunks', { numberOfKeys: 1, lua: APPEND_CHUNKS });
  const channels = new RedisTurnChannels(options.url, onError);
  const keyOf = (turnId: string) => `${prefix}${turnId}`;

  let pending = new Map<string, AnswerChunk[]>();
  /** The last seq this process published per turn until its done chunk: a repeat is dropped before Redis. */
  const lastPublished = new Map<string, number>();
  let scheduled: NodeJS.Immediate | undefined;
  let flushed: Promise<unknown> = Promise.resolve();

  function flush(): void {
    scheduled = undefined;
    if (pending.size === 0) return;
    const batches = pending;
    pending = new Map();
    const pipeline = redis.pipeline();
    for (const [turnId, chunks] of batches) {
      const key = keyOf(turnId);
      const id = `${chunks.at(-1)!.seq}-0`;
      (pipeline as unknown as AppendCommand).appendAnswerChunks(key, id, JSON.stringify(chunks), retainMs, maxEntries, key);
    }
    // Lost chunks are not retried: readers fill holes from the buffer, and the answer itself is in the events.
    flushed = pipeline.exec().then((results) => results?.forEach(([error]) => error && onError(error)), onError);
  }

  return {
    channels,
    publish(chunk) {
      if (chunk.seq <= (lastPublished.get(chunk.turnId) ?? 0)) return;
      lastPublished.delete(chunk.turnId);
      if (!chunk.done) lastPublished.set(chunk.turnId, chunk.seq);
      // A turn whose done chunk another process published is forgotten here once many newer turns came.
      if (lastPublished.size > MAX_TRACKED_TURNS) lastPublished.delete(lastPublished.keys().next().value!);
      const queued = pending.get(chunk.turnId);
      if (queued) queued.push(chunk);
      else pending.set(chunk.turnId, [chunk]);
      scheduled ??= setImmediate(flush);
    },
    async lastSeq(turnId) {
      if (pending.has(turnId)) flush();
      const [last] = (await redis.xrevrange(keyOf(turnId), '+', '-', 'COUNT', 1)) as StreamEntry[];
      return last ? Number.parseInt(last[0], 10) : 0;
    },
    listen: (turnId, onChunks) => channels.listen(keyOf(turnId), onChunks),
    async read(turnId, afterSeq) {
      // Entries are keyed by their last seq: those above afterSeq hold every chunk after it (and maybe a few before).
      const entries = (await redis.xrange(keyOf(turnId), `${afterSeq + 1}-0`, '+')) as StreamEntry[];
      return chunksOf(entries).filter((chunk) => chunk.seq > afterSeq);
    },
    async close() {
      if (scheduled) clearImmediate(scheduled);
      flush();
      await flushed;
      await channels.close();
      if (redis.status === 'wait') redis.disconnect();
      else await redis.quit().catch(() => undefined);
    },
  };
}
