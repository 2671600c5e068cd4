/**
 * The subscription event bus. In one process an in-memory mqemitter; with REDIS_URL an mqemitter-redis, so an event
 * published by any instance (api, worker, saga) reaches subscribers on every api instance.
 */
import mqemitter, { type MQEmitter } from 'mqemitter';
import mqemitterRedis from 'mqemitter-redis';

export interface PubSubBus {
  readonly emitter: MQEmitter;
  /** Delivers payload to every subscription of `topic` (resolves once handed to the bus). */
  publish(topic: string, payload: unknown): Promise<void>;
  /**
   * Resolves once the bus can take a subscription (with Redis: its subscriber connection is ready). Subscribe after
   * it when subscribing at start: ioredis sends a (p)subscribe during its connection handshake, and its ready check
   * (INFO) then fails on a connection in subscriber mode, an error nothing can catch.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createPubSubBus(options: { redisUrl?: string | undefined } = {}): PubSubBus {
  const emitter: MQEmitter = options.redisUrl
    ? (mqemitterRedis({ connectionString: options.redisUrl }) as unknown as MQEmitter)
    : mqemitter();
  let closed = false;
  // mqemitter-redis's subscriber connection (an ioredis client); undefined in process.
  const subscriber = (emitter as { subConn?: { status: string; once(event: 'ready', listener: () => void): void } }).subConn;
  return {
    emitter,
    ready: () =>
      !subscriber || subscriber.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => subscriber.once('ready', resolve)),
    publish: (topic, payload) =>
      new Promise((resolve, reject) => {
        emitter.emit({ topic, payload }, (error?: Error | null) => (error ? reject(error) : resolve()));
      }),
    close: () =>
      new Promise((resolve) => {
        if (closed) return resolve();
        closed = true;
        emitter.close(() => resolve());
      }),
  };
}
