import type { Decider } from '../decider.ts';
import type { DocumentEvent } from '../../contracts/documents.ts';
import type { DocumentCommand } from './commands.ts';
import { decideDocument } from './decide.ts';
import { evolveDocument, initialDocumentState } from './state.ts';
import type { DocumentState } from './state.ts';

export const documentDecider: Decider<DocumentCommand, DocumentEvent, DocumentState> = {
  initialState: initialDocumentState,
  evolve: evolveDocument,
  decide: decideDocument,
};
