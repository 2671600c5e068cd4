/**
 * One event of the log in words for `npm run audit`: its facts (amounts, tokens, prices, revisions, reasons) on one
 * line, and sub-lines where it carries a list a person reads item by item (the chunks an answer was built from).
 * Texts an event carries in full (answers, chunk texts, vectors) are summarised, never printed.
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import { DOCUMENT_EVENT_TYPES, parseDocumentEvent, type DocumentEvent } from '../../contracts/documents.ts';
import {
  parseConversationEvent,
  parseTurnEvent,
  TURN_EVENT_TYPES,
  type ConversationEvent,
  type TurnEvent,
  type TurnUsage,
} from '../../contracts/turns.ts';
import { parseWalletEvent, WALLET_EVENT_TYPES, type ModelPrice, type WalletEvent } from '../../contracts/wallet.ts';

export interface Described {
  text: string;
  details: string[];
}

const quoted = (text: string, max = 120) => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
export const priceText = (price: ModelPrice) => `${price.promptPer1k} / ${price.completionPer1k} per 1,000 prompt / completion tokens`;
export const usageText = (usage: Pick<TurnUsage, 'model' | 'promptTokens' | 'completionTokens'>) =>
  `${usage.model} ${usage.promptTokens} prompt + ${usage.completionTokens} completion tokens`;

function describeTurn(event: TurnEvent): Described {
  const line = (text: string, details: string[] = []) => ({ text, details });
  switch (event.type) {
    case 'TurnStarted': {
      const d = event.data;
      const regenerated = d.regeneratedFrom ? `; regenerates turn ${d.regeneratedFrom}` : '';
      return line(
        `question ${quoted(d.question)}; model ${d.model} at ${priceText(d.price)}; maxTokens ${d.maxTokens}, ` +
          `prompt estimate ${d.promptEstimate}: hold asked ${d.reservationAmount}${regenerated}`,
      );
    }
    case 'TurnStopRequested':
      return line(`stop asked by user ${event.data.by}`);
    case 'TurnFundsReserved':
      return line(`held ${event.data.amount} until ${event.data.deadlineAt}`);
    case 'TurnReservationDeclined':
      return line(`hold of ${event.data.amount} declined: ${event.data.available} available`);
    case 'RetrievalCompleted':
      return line(
        `${event.data.chunks.length} chunk${event.data.chunks.length === 1 ? '' : 's'} retrieved`,
        event.data.chunks.map(
          (c) => `[${c.n}] ${quoted(c.documentName, 60)} document ${c.documentId} revision ${c.revision}, chunk ${c.chunkId}, score ${c.score}`,
        ),
      );
    case 'GenerationStarted':
      return line('the model was called');
    case 'AnswerCompleted':
      return line(
        `usage ${usageText(event.data.usage)} (${event.data.usage.reported ? 'reported by the provider' : 'counted'}), ` +
          `finish ${event.data.finishReason ?? 'none'}, ${event.data.answer.length} characters, ${event.data.citations.length} citations`,
      );
    case 'AnswerStopped':
      return line(
        `usage ${usageText(event.data.usage)} (${event.data.usage.reported ? 'reported by the provider' : 'counted'}) ` +
          `up to the stop, ${event.data.answer.length} characters`,
      );
    case 'AnswerFailed':
      return line(`${event.data.kind}: ${event.data.reason}`);
    case 'TurnFundsCaptured':
      return line(`captured ${event.data.amount}, released ${event.data.released}`);
    case 'TurnFundsReleased':
      return line(`released ${event.data.amount}: ${event.data.reason}`);
    case 'TurnCompleted':
    case 'TurnStopped':
      return line(`cost ${event.data.cost}`);
    case 'TurnFailed':
      return line(event.data.reason);
    case 'TurnRejected':
      return line(`${event.data.code}: needed ${event.data.needed}, available ${event.data.available}`);
    case 'TurnRated':
      return line(`${event.data.rating}${event.data.comment ? ` ${quoted(event.data.comment)}` : ''} by user ${event.data.by}`);
  }
}

function describeWallet(event: WalletEvent): Described {
  const after = `-> balance ${event.data.balanceAfter}, reserved ${event.data.reservedAfter}, available ${event.data.balanceAfter - event.data.reservedAfter}`;
  const forTurn = (turnId: string | null) => (turnId ? ` for turn ${turnId}` : '');
  const text = ((): string => {
    switch (event.type) {
      case 'FundsDeposited':
        return `deposit ${event.data.amount} (reference ${event.data.reference})`;
      case 'FundsReserved':
        return `hold ${event.data.amount}${forTurn(event.data.turnId)}`;
      case 'ReservationDeclined':
        return `hold of ${event.data.amount} declined${forTurn(event.data.turnId)}: ${event.data.available} available`;
      case 'FundsCaptured': {
        const d = event.data;
        return `charged ${d.amount} of the hold ${d.reserved}, released ${d.released}${forTurn(d.turnId)}: ${usageText(d)} at ${priceText(d.price)}`;
      }
      case 'FundsReleased':
        return `released ${event.data.amount}${forTurn(event.data.turnId)}: ${event.data.reason}`;
      case 'FundsTransferredOut':
        return `transferred ${event.data.amount} to wallet ${event.data.toWalletId} (reference ${event.data.reference})`;
    }
  })();
  return { text: `${text} ${after}`, details: [] };
}

function describeDocument(event: DocumentEvent): Described {
  const line = (text: string) => ({ text: `revision ${event.data.revision}: ${text}`, details: [] });
  switch (event.type) {
    case 'DocumentUploaded': {
      const d = event.data;
      return line(`${quoted(d.name, 80)} uploaded by user ${d.uploadedBy} into knowledge base ${d.knowledgeBaseId}, ${d.mediaType}, ${d.sizeBytes} bytes, sha256 ${d.sha256}`);
    }
    case 'DocumentParsingStarted':
      return line(`parsing, attempt ${event.data.attempt}`);
    case 'DocumentParsed':
      return line(`parsed: ${event.data.blockCount} blocks, ${event.data.pageCount} pages, ${event.data.charCount} characters`);
    case 'DocumentChunked': {
      const { part, parts, chunks, totalChunks } = event.data;
      const range = chunks.length > 0 ? `, chunks ${chunks[0]!.chunkId} … ${chunks.at(-1)!.chunkId}` : '';
      return line(`part ${part} of ${parts}: ${chunks.length} of ${totalChunks} chunks${range}`);
    }
    case 'ChunksEmbedded':
      return line(`${event.data.chunkIds.length} chunks embedded by ${event.data.model} (${event.data.dimensions} dimensions)`);
    case 'DocumentIndexed':
      return line(`indexed: ${event.data.chunkCount} chunks, embedding model ${event.data.model}`);
    case 'DocumentFailed':
      return line(`failed at ${event.data.step}: ${event.data.reason}`);
    case 'DocumentReindexRequested':
      return line(`${event.data.cause} asked by user ${event.data.requestedBy}${event.data.name ? `, name ${quoted(event.data.name, 80)}` : ''}`);
    case 'DocumentDeleted':
      return line(`deleted by user ${event.data.deletedBy}`);
    case 'ChunkEdited':
      return line(`chunk ${event.data.chunkId} edited by user ${event.data.editedBy}: ${quoted(event.data.text, 80)}, ${event.data.tokenCount} tokens`);
    case 'ChunkDisabled':
      return line(`chunk ${event.data.chunkId} taken out of search by user ${event.data.by}`);
    case 'ChunkEnabled':
      return line(`chunk ${event.data.chunkId} put back into search by user ${event.data.by}`);
  }
}

function describeConversation(event: ConversationEvent): Described {
  if (event.type === 'ConversationStarted') {
    return { text: `conversation begun by user ${event.data.userId} in knowledge base ${event.data.knowledgeBaseId}, title ${quoted(event.data.title)}`, details: [] };
  }
  return { text: `turn ${event.data.turnId} added`, details: [] };
}

const has = (types: readonly string[], type: string) => types.includes(type);

export function describeEvent(event: RecordedEvent): Described {
  if (has(TURN_EVENT_TYPES, event.type)) return describeTurn(parseTurnEvent(event));
  if (has(WALLET_EVENT_TYPES, event.type)) return describeWallet(parseWalletEvent(event));
  if (has(DOCUMENT_EVENT_TYPES, event.type)) return describeDocument(parseDocumentEvent(event));
  if (event.type === 'ConversationStarted' || event.type === 'ConversationTurnAdded') return describeConversation(parseConversationEvent(event));
  return { text: quoted(JSON.stringify(event.data), 200), details: [] };
}

/** `position  time  stream@revision  Type  facts`, then the details indented under it. */
export function eventLines(event: RecordedEvent, described: Described = describeEvent(event)): string[] {
  const head = `${event.position.padEnd(14)} ${event.createdAt}  ${`${event.streamId}@${event.revision}`.padEnd(20)} ${event.type.padEnd(24)} ${described.text}`;
  return [head, ...described.details.map((detail) => `${' '.repeat(16)}${detail}`)];
}
