/** Messages between the chat bench and its askers' worker (chat-overhead.ts, chat-askers.ts). */
import type { MessagePort, Worker } from 'node:worker_threads';

/** The value under `key` of the first message from `port` that has it. */
export function messageWith<T>(port: MessagePort | Worker, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: Record<string, unknown>) => {
      if (!(key in message)) return;
      port.off('message', listener);
      resolve(message[key] as T);
    };
    port.on('message', listener);
  });
}
