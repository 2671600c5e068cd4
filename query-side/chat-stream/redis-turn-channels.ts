/**
 * Live chunks from Redis pub/sub, one channel per turn, on one subscriber connection per process: the first local
 * reader of a turn subscribes its channel, the last one leaving unsubscribes, and every message fans out to the
 * turn's local readers. listen() resolves once Redis confirmed the subscription, which is what lets a reader read
 * the buffer afterwards without missing a chunk published in between.
 */
import { Redis } from 'ioredis';
import type { AnswerChunk } from '../../contracts/answer-feed.ts';

type Listener = (chunks: readonly AnswerChunk[]) => void;

interface Channel {
  listeners: Set<Listener>;
  subscribed: Promise<unknown>;
}

export class RedisTurnChannels {
  private connection: Redis | undefined;
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly url: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  async listen(channelName: string, onChunks: Listener): Promise<() => void> {
    const connection = this.subscriber();
    let channel = this.channels.get(channelName);
    if (!channel) {
      // Commands on one connection run in order: a subscribe after an unsubscribe of the same channel wins.
      channel = { listeners: new Set(), subscribed: connection.subscribe(channelName) };
      this.channels.set(channelName, channel);
    }
    const listener: Listener = (chunks) => onChunks(chunks);
    channel.listeners.add(listener);
    const stop = () => {
      if (!channel.listeners.delete(listener) || channel.listeners.size > 0) return;
      if (this.channels.get(channelName) === channel) this.channels.delete(channelName);
      connection.unsubscribe(channelName).catch(this.onError);
    };
    try {
      await channel.subscribed;
    } catch (error) {
      stop();
      throw error;
    }
    return stop;
  }

  /** Channels with local readers (tests: a reader that left is forgotten). */
  get listening(): number {
    return this.channels.size;
  }

  async close(): Promise<void> {
    this.channels.clear();
    await this.connection?.quit().catch(() => undefined);
    this.connection = undefined;
  }

  private subscriber(): Redis {
    if (this.connection) return this.connection;
    const connection = new Redis(this.url, { maxRetriesPerRequest: 2 });
    connection.on('error', this.onError);
    connection.on('message', (channelName: string, message: string) => {
      const channel = this.channels.get(channelName);
      if (!channel) return;
      let chunks: AnswerChunk[];
      try {
        chunks = JSON.parse(message) as AnswerChunk[];
      } catch (error) {
        return this.onError(error);
      }
      for (const listener of channel.listeners) listener(chunks);
    });
    this.connection = connection;
    return connection;
  }
}
