/**
 * What the ingestion worker awaits before it records a document as indexed: the search index (the chunks
 * projection, wherever it runs) reflecting the document's events so far. A slow index makes the worker wait rather
 * than announce a document nobody can find yet; a stopped one (a failing event, see /healthz) makes it wait until
 * the projector is restarted, with a warning every round.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { DomainError } from '../../contracts/errors.ts';
import type { Position } from '../../contracts/position.ts';
import type { ProjectionRuntime } from '../../projections/runtime/index.ts';
import { SEARCH_INDEX_PROJECTORS } from './read-model-databases.ts';

const ROUND_MS = 30_000;
const RETRY_MS = 1_000;

export function searchIndexReached(runtime: ProjectionRuntime, logger: Logger) {
  return async (position: Position, signal?: AbortSignal): Promise<void> => {
    while (!signal?.aborted) {
      try {
        await runtime.waitForPosition(position, { projectors: SEARCH_INDEX_PROJECTORS, timeoutMs: ROUND_MS });
        return;
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'UNAVAILABLE') throw error;
        logger.warn({ err: error, position }, 'waiting for the search index before recording a document as indexed');
        await sleep(RETRY_MS, undefined, signal ? { signal } : {}).catch(() => undefined);
      }
    }
  };
}
