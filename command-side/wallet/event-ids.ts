/**
 * Deterministic event ids, derived from the stream and the whole decision (type and data, which include the balance
 * after it): an append retried after a lost reply is stored once. The id must cover the content, not just the
 * reservation or reference: the store treats an append whose ids all exist as already done, so two different
 * decisions about the same reservation (made from different states) must never share an id.
 */
import { nameBasedId } from '../name-based-id.ts';
import type { WalletEvent } from '../../contracts/wallet.ts';

const WALLET_NAMESPACE = '6b0f3c52-8d8e-4f7a-9a55-2f4f7c1f0a11';

export const walletEventId = (streamId: string, event: WalletEvent): string =>
  nameBasedId(`${streamId}|${event.type}|${JSON.stringify(event.data)}`, WALLET_NAMESPACE);
