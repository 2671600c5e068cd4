/**
 * What can be audited and the stream names behind it (the server's convention, see auditTrail): a conversation,
 * a wallet, a document, a question (turn), or any stream typed in full, as a deep link may name one.
 */
export const AUDIT_KINDS = ['conversation', 'wallet', 'document', 'turn', 'stream'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

const PREFIXES: Readonly<Record<Exclude<AuditKind, 'stream'>, string>> = {
  conversation: 'conversation-',
  wallet: 'wallet-',
  document: 'document-',
  turn: 'turn-',
};

export interface AuditTarget {
  kind: AuditKind;
  /** The id inside the stream name, or for 'stream' the whole name. */
  id: string;
}

export function streamOf(target: AuditTarget): string {
  const id = target.id.trim();
  return target.kind === 'stream' ? id : `${PREFIXES[target.kind]}${id}`;
}

export function targetOf(stream: string): AuditTarget {
  for (const [kind, prefix] of Object.entries(PREFIXES) as Array<[AuditKind, string]>) {
    if (stream.startsWith(prefix) && stream.length > prefix.length) return { kind, id: stream.slice(prefix.length) };
  }
  return { kind: 'stream', id: stream };
}

/** The JSON text of an event's data, indented for reading; left as it is when it is not JSON. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
