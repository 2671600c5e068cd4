/**
 * One document's stream, read once and kept in step with what this worker appends: each command is decided against
 * the state in memory and appended at the exact stream revision it was decided on. When someone else appended in
 * between (a reindex, a delete, another worker), the append fails on the revision; the session then reads the stream
 * again and decides again (decideAndAppend, the loop every command runs). Reading the stream once per step instead
 * would re-read every chunk text and vector per embedding batch: quadratic in the document's size.
 */
import type { DocumentEvent } from '../../../contracts/documents.ts';
import type { EventMetadata, EventStore } from '../../../contracts/eventstore.ts';
import type { Position } from '../../../contracts/position.ts';
import { documentStream } from '../../../contracts/streams.ts';
import { decideAndAppend, foldEvents, type Decision } from '../../decider.ts';
import type { DocumentCommand } from '../../documents/commands.ts';
import { documentDecider } from '../../documents/decider.ts';
import { documentEventId } from '../../documents/ids.ts';
import type { DocumentState } from '../../documents/state.ts';

const MAX_CONFLICTS = 10;

export class DocumentSession {
  events: DocumentEvent[] = [];
  state: DocumentState = documentDecider.initialState();
  /** Stream revision of the last event read or appended; -1 for an empty stream. */
  private streamRevision = -1;
  /** Log position of the last event read or appended (undefined for an empty stream). */
  lastPosition: Position | undefined;

  constructor(
    private readonly store: EventStore,
    readonly documentId: string,
    private readonly metadata: EventMetadata,
  ) {}

  async load(): Promise<DocumentState> {
    const recorded = await this.store.readStream(documentStream(this.documentId));
    this.events = recorded.map(documentDecider.parseEvent);
    this.state = foldEvents(documentDecider, this.events);
    this.streamRevision = recorded.at(-1)?.revision ?? -1;
    this.lastPosition = recorded.at(-1)?.position;
    return this.state;
  }

  /** Decides and appends; returns the state after it (unchanged when the decider decided nothing). */
  run(command: DocumentCommand): Promise<DocumentState> {
    const decide = async (attempt: number): Promise<Decision<DocumentState>> => {
      if (attempt > 0) await this.load();
      const events = documentDecider.decide(command, this.state);
      return {
        revision: this.streamRevision,
        events: events.map((event) => ({
          id: documentEventId(event),
          type: event.type,
          data: event.data,
          metadata: this.metadata,
        })),
        complete: (appended) => {
          if (!appended) return this.state;
          this.streamRevision = appended.nextExpectedRevision;
          this.lastPosition = appended.position;
          this.events.push(...events);
          this.state = events.reduce(documentDecider.evolve, this.state);
          return this.state;
        },
      };
    };
    return decideAndAppend(this.store, documentStream(this.documentId), decide, { maxRetries: MAX_CONFLICTS });
  }
}
