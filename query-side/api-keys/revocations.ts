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
  /** Resolves once revocations from other instances are heard (the api starts serving after it). */
  listening(): Promise<void>;
  close(): Promise<void>;
}

export function listenForRevocations(bus: Pick<PubSubBus, 'emitter' | 'publish' | 'ready'>): ApiKeyRevocations {
  const revoked = new Set<string>();
  const onMessage = (message: Message, done: () => void) => {
    const id = ((message as { payload?: unknown }).payload as { apiKeyId?: unknown } | undefined)?.apiKeyId;
    if (typeof id === 'string') revoked.add(id);
    done();
  };
  // Once the bus can take it (bus.ready). The api's start waits for it (listening), so no key is remembered before
  // its revocation could be heard; revocations from before are in the read model every lookup starts from.
  let listening = false;
  const subscribed = bus.ready().then(() => new Promise<void>((resolve) => bus.emitter.on(API_KEY_REVOKED_TOPIC, onMessage, () => resolve())));
  void subscribed.then(() => (listening = true));
  return {
    async announce(apiKeyId) {
      revoked.add(apiKeyId);
      await bus.publish(API_KEY_REVOKED_TOPIC, { apiKeyId });
    },
    isRevoked: (apiKeyId) => revoked.has(apiKeyId),
    listening: () => subscribed,
    close: async () => {
      if (!listening) return;
      await new Promise<void>((resolve) => bus.emitter.removeListener(API_KEY_REVOKED_TOPIC, onMessage, () => resolve()));
    },
  };
}
