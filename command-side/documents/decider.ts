import type { StreamDecider } from '../decider.ts';
import { parseDocumentEvent, type DocumentEvent } from '../../contracts/documents.ts';
import type { DocumentCommand } from './commands.ts';
import { decideDocument } from './decide.ts';
import { evolveDocument, initialDocumentState } from './state.ts';
import type { DocumentState } from './state.ts';

export const documentDecider: StreamDecider<DocumentCommand, DocumentEvent, DocumentState> = {
  parseEvent: parseDocumentEvent,
  initialState: initialDocumentState,
  evolve: evolveDocument,
  decide: decideDocument,
};
