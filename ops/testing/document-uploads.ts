/** Steps that tests and benchmarks share: an upload over real HTTP, waiting for a condition, for a document's end. */
import type { TestApp } from './server.ts';

export async function uploadFile(app: TestApp, token: string, kb: string, name: string, bytes: Uint8Array): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const response = await fetch(`${app.url}/api/knowledge-bases/${kb}/documents`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { id?: string };
  if (response.status !== 201 || !body.id) throw new Error(`upload of ${name} answered ${response.status}`);
  return body.id;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface DocumentEnd {
  status: 'indexed' | 'failed';
  error: string | null;
  chunkCount: number;
}

const STATUS = `query($id: ID!) { document(id: $id) { status error chunkCount } }`;

/** Resolves once the document is indexed or failed; throws when it is still in between after `timeoutMs`. */
export function documentEnd(app: TestApp, token: string, id: string, timeoutMs: number): Promise<DocumentEnd> {
  return until(`document ${id} indexed or failed within ${timeoutMs} ms`, async () => {
    const document = (await app.gql<{ document: DocumentEnd | null }>(STATUS, { id }, token)).data?.document;
    return document?.status === 'indexed' || document?.status === 'failed' ? document : undefined;
  }, timeoutMs);
}
