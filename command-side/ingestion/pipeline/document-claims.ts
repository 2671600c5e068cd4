/**
 * Which pipeline worker drives a document right now. Workers that share a Postgres claim a document before they
 * process it, so two of them never pay the embedding model twice for the same chunks; a worker that finds the
 * document claimed waits and tries again later. Correctness never rests on a claim: every step is still appended
 * at an exact stream revision with a deterministic event id (process-document.ts), so a lost or doubled claim
 * costs work, never data.
 */

export interface DocumentClaim {
  /** Aborted once the claim may be gone (the claims connection dropped): stop driving, claim again before resuming. */
  readonly lost: AbortSignal;
  /** Idempotent; never throws (a claim that cannot be released was already lost with its connection). */
  release(): Promise<void>;
}

export interface DocumentClaims {
  readonly kind: 'in-process' | 'advisory-lock';
  /**
   * The document's claim, or undefined while another worker holds it (or once `signal` is aborted). Throws when the
   * claims database fails.
   */
  claim(documentId: string, signal?: AbortSignal): Promise<DocumentClaim | undefined>;
  /** Releases every claim. The claims may be used again afterwards (a worker started again). */
  close(): Promise<void>;
}

/**
 * Claims within one process: the embedded PGlite serves one process only, so there is no other worker to keep out,
 * and tests without Postgres need nothing more. Workers sharing this object still exclude each other.
 */
export function inProcessDocumentClaims(): DocumentClaims {
  const held = new Map<string, object>();
  const never = new AbortController().signal;
  return {
    kind: 'in-process',
    async claim(documentId) {
      if (held.has(documentId)) return undefined;
      const token = {};
      held.set(documentId, token);
      return {
        lost: never,
        async release() {
          if (held.get(documentId) === token) held.delete(documentId);
        },
      };
    },
    async close() {
      held.clear();
    },
  };
}
