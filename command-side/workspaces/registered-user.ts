/**
 * Finds a registered user by email address in the log: the address's claim stream names its holder, whose stream
 * must hold a registration that was not erased (an erased user's address may be claimed again by someone else).
 */
import { parseEmailClaimEvent } from '../../contracts/identity.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { userStream } from '../../contracts/streams.ts';
import { emailStreamOf } from '../identity/email-key.ts';

export async function registeredUserByEmail(store: EventStore, email: string): Promise<string | undefined> {
  const claims = await store.readStream(emailStreamOf(email));
  for (const claim of [...claims].reverse()) {
    const { userId } = parseEmailClaimEvent(claim).data;
    const events = await store.readStream(userStream(userId));
    const registered = events.some((event) => event.type === 'UserRegistered');
    const erased = events.some((event) => event.type === 'UserErased');
    if (registered && !erased) return userId;
  }
  return undefined;
}
