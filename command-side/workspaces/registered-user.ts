/**
 * Finds a registered user by email address in the log, as login does: the address's claim stream names its holder
 * (its last claim: one taken over from an erased or abandoned holder is appended after theirs), who must have a user
 * stream that does not end erased (UserErased is always a user stream's last event). Two one-event reads.
 */
import { parseEmailClaimEvent } from '../../contracts/identity.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import { userStream } from '../../contracts/streams.ts';
import { emailStreamOf } from '../identity/email-key.ts';

export async function registeredUserByEmail(store: EventStore, email: string): Promise<string | undefined> {
  const [claim] = await store.readStream(emailStreamOf(email), { direction: 'backwards', maxCount: 1 });
  if (!claim) return undefined;
  const { userId } = parseEmailClaimEvent(claim).data;
  const [last] = await store.readStream(userStream(userId), { direction: 'backwards', maxCount: 1 });
  return last && last.type !== 'UserErased' ? userId : undefined;
}
