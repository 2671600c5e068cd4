/**
 * Turn ids. Without an idempotency key an ask gets fresh random ids. With one, the turn's id (and a new
 * conversation's) is derived from (asker, key): a retried ask lands on the same `turn-{id}` stream, whose first
 * event records that the key was used, in the log itself, so it holds across restarts and API instances, and the
 * question is asked (and billed) once. The asker is part of it: two users' keys never meet.
 */
import { nameBasedId } from '../name-based-id.ts';

const TURN_NAMESPACE = '6f1d2b8c-3a47-4e0f-9c5d-8b2a7e4f1c90';

export const turnIdFor = (userId: string, idempotencyKey: string): string => nameBasedId(`${userId}/${idempotencyKey}`, TURN_NAMESPACE);

export const conversationIdFor = (userId: string, idempotencyKey: string): string =>
  nameBasedId(`${userId}/${idempotencyKey}/conversation`, TURN_NAMESPACE);
