/**
 * Knowledge-base ids. Without an idempotency key a create gets a fresh random id. With one, the id is derived from
 * (owner, key): a retried create lands on the same `kb-{id}` stream, whose first event is the record that the key
 * was used, in the log itself, so it holds across restarts and API instances. The owner is part of it: two users'
 * keys never meet, and nobody can find another's knowledge base by guessing a key.
 */
import { nameBasedId } from '../name-based-id.ts';

const KNOWLEDGE_BASE_NAMESPACE = '0b6f3f7e-5f4c-4a8e-9d7b-2c1e6a9f4d30';

export const knowledgeBaseIdFor = (ownerId: string, idempotencyKey: string): string =>
  nameBasedId(`${ownerId}/${idempotencyKey}`, KNOWLEDGE_BASE_NAMESPACE);
