/**
 * Revocations heard by every api instance at once. revokeApiKey announces the key on the bus (Redis pub/sub with
 * REDIS_URL, so every api process gets it; in process otherwise) before it answers; each instance keeps the ids it
 * heard and refuses them whatever its cache or its (possibly lagging) read model still says. Ids only, a few bytes
 * each, kept for the process's life: a revoked key never comes back. An instance started later reads revocations
 * from the read model, which its start waits for like every reader.
 */
import type { Message } from 'mqemitter';
import type { PubSubBus } from '../server/pubsub.ts';

export const API_KEY_REVOKED_TOPIC = 'api-keys/revoked';

export interface ApiKeyRevocations {
  /** Refused here at once; on the other instances as soon as the bus delivers (resolves once handed to it). */
  announce(apiKeyId: string): Promise<void>;
  isRevoked(apiKeyId: string): boolean;
  close(): Promise<void>;
}

export async function listenForRevocations(bus: PubSubBus): Promise<ApiKeyRevocations> {
  const revoked = new Set<string>();
  const onMessage = (message: Message, done: () => void) => {
    const id = ((message as { payload?: unknown }).payload as { apiKeyId?: unknown } | undefined)?.apiKeyId;
    if (typeof id === 'string') revoked.add(id);
    done();
  };
  // Resolves once the subscription is in place (with Redis: subscribed on the server).
  await new Promise<void>((resolve) => bus.emitter.on(API_KEY_REVOKED_TOPIC, onMessage, () => resolve()));
  return {
    async announce(apiKeyId) {
      revoked.add(apiKeyId);
      await bus.publish(API_KEY_REVOKED_TOPIC, { apiKeyId });
    },
    isRevoked: (apiKeyId) => revoked.has(apiKeyId),
    close: () => new Promise<void>((resolve) => bus.emitter.removeListener(API_KEY_REVOKED_TOPIC, onMessage, () => resolve())),
  };
}
