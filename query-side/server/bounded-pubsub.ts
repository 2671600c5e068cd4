/**
 * mercurius's PubSub with slow-consumer protection. mercurius buffers each subscription's messages in an unbounded
 * queue while the WebSocket drains; here a subscription whose queue exceeds `maxQueued` is ended with an error
 * (the client may resubscribe and resume, e.g. answerStream's afterSeq) instead of growing without bound.
 */
import type { Readable } from 'node:stream';
import { GraphQLError } from 'graphql';
import type { MQEmitter, Message } from 'mqemitter';

type Queue = Readable & { close?: Array<() => void> };

export function createBoundedPubSub(emitter: MQEmitter, maxQueued: number) {
  return {
    emitter,
    subscribe(topics: string | string[], queue: Queue): Promise<void> {
      const list = Array.isArray(topics) ? topics : [topics];
      return Promise.all(
        list.map(
          (topic) =>
            new Promise<void>((resolve, reject) => {
              let unsubscribed = false;
              const listener = (message: Message, done: () => void) => {
                // Late deliveries after close (asynchronous emitters) are dropped, as mercurius does.
                if (unsubscribed || queue.destroyed || queue.readableEnded) return done();
                if (queue.readableLength >= maxQueued) {
                  close();
                  queue.destroy(
                    new GraphQLError(`subscriber too slow: more than ${maxQueued} messages waiting`, {
                      extensions: { code: 'SLOW_CONSUMER' },
                    }),
                  );
                  return done();
                }
                queue.push(message.payload);
                done();
              };
              const close = () => {
                unsubscribed = true;
                emitter.removeListener(topic, listener);
              };
              emitter.on(topic, listener, (error?: Error | null) => (error ? reject(error) : resolve()));
              queue.close ??= [];
              queue.close.push(close);
            }),
        ),
      ).then(() => undefined);
    },
    publish(event: { topic: string; payload: unknown }, callback: (error?: Error | null) => void): void {
      emitter.emit(event, callback);
    },
  };
}
