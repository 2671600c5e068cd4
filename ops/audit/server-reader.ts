/**
 * Reading the log through a running server's GraphQL API (auditTrail, page by page), for the embedded default: its
 * PGlite files belong to the server's process, and a second process opening them would run a second database on the
 * same files (nothing stops it, and its writes on close can corrupt them). The server checks the caller: an admin may
 * read every stream, a user their own turns, wallet and documents.
 */
import type { RecordedEvent } from '../../contracts/eventstore.ts';
import type { StreamReader } from '../../query-side/audit/stream-reader.ts';

const PAGE = 1000; // the most auditTrail gives at once

const AUDIT_TRAIL = `query AuditCli($stream: String!, $after: String, $limit: Int) {
  auditTrail(stream: $stream, after: $after, limit: $limit) { id position stream revision type at data metadata }
}`;
const LOGIN = `mutation AuditCliLogin($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }`;

interface AuditEvent {
  id: string;
  position: string;
  stream: string;
  revision: number;
  type: string;
  at: string;
  data: string;
  metadata: string;
}

/** A server that did not answer, or answered with an error; the message says which and what to do. */
export class ServerReadError extends Error {
  override name = 'ServerReadError';
}

async function post<T>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(new URL('/graphql', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ServerReadError(`no server answers at ${url} (${(error as Error).cause ?? (error as Error).message}): start it, ` +
      'point --server at it, or, with the embedded server stopped, read its files with --direct');
  }
  const body = (await response.json().catch(() => undefined)) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> } | undefined;
  const error = body?.errors?.[0];
  if (error) throw new ServerReadError(`${url}: ${error.extensions?.code ?? 'ERROR'}: ${error.message}`);
  if (!response.ok || !body?.data) throw new ServerReadError(`${url} answered HTTP ${response.status}`);
  return body.data;
}

export async function loginToServer(url: string, email: string, password: string): Promise<string> {
  return (await post<{ login: { accessToken: string } }>(url, LOGIN, { email, password })).login.accessToken;
}

const recorded = (event: AuditEvent): RecordedEvent => ({
  id: event.id,
  type: event.type,
  data: JSON.parse(event.data) as RecordedEvent['data'],
  metadata: JSON.parse(event.metadata) as RecordedEvent['metadata'],
  streamId: event.stream,
  revision: event.revision,
  position: event.position,
  createdAt: event.at,
});

export function serverReader(url: string, token: string): StreamReader {
  return {
    async eventsAfter(streamId, after) {
      const events: RecordedEvent[] = [];
      for (let cursor = after ?? null; ; ) {
        const page = (await post<{ auditTrail: AuditEvent[] }>(url, AUDIT_TRAIL, { stream: streamId, after: cursor, limit: PAGE }, token)).auditTrail;
        events.push(...page.map(recorded));
        if (page.length < PAGE) return events;
        cursor = page.at(-1)!.position;
      }
    },
  };
}
