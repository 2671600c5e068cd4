/**
 * Uploads files to a knowledge base through the REST route (POST /api/knowledge-bases/:id/documents, multipart field
 * `file`), each with its own progress and outcome. The HTTP part sits behind a transport so the queue, the progress and
 * the mapping of the server's answers are tested without a browser; in the app the transport is XMLHttpRequest,
 * because fetch cannot report upload progress.
 */
import { reactive } from 'vue';
import type { UiError } from '../graphql/errors';
import { useAppContext } from './app-context';

export interface UploadRequest {
  url: string;
  file: Blob;
  fileName: string;
  token: string | undefined;
  onProgress(loaded: number, total: number): void;
}

/** What the server answered; status 0 when it could not be reached (or closed the connection, or we aborted). */
export interface UploadResponse {
  status: number;
  body: string;
}

export interface UploadCall {
  response: Promise<UploadResponse>;
  abort(): void;
}

export type UploadTransport = (request: UploadRequest) => UploadCall;

/** A typed upload error with the details the server adds (which quota and its limit, the size limit). */
export interface UploadError extends UiError {
  quota?: string;
  limit?: number;
}

export type UploadState = 'queued' | 'uploading' | 'done' | 'duplicate' | 'failed' | 'cancelled';

export interface UploadItem {
  /** Unique within one uploader (two files may have the same name). */
  key: number;
  name: string;
  size: number;
  loaded: number;
  state: UploadState;
  documentId?: string;
  error?: UploadError;
}

export interface UploaderOptions {
  transport: UploadTransport;
  /** The access token to send now (refreshed first when about to expire). */
  token: () => Promise<string | undefined>;
  /** The server refused the token: refresh it; true when a new one may be tried. */
  refresh?: () => Promise<boolean>;
  /** Uploads running at once; the others wait, so each bar moves at a readable pace. */
  concurrency?: number;
  /** A file was stored (or was already there): e.g. reload the documents. */
  onStored?: (item: UploadItem) => void;
}

export const uploadUrl = (knowledgeBaseId: string): string =>
  `/api/knowledge-bases/${encodeURIComponent(knowledgeBaseId)}/documents`;

/** The code to show when the answer carries none (a proxy's page, an empty body). */
const CODE_OF_STATUS: Record<number, string> = {
  0: 'NETWORK',
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

interface ErrorBody {
  errors?: Array<{ message?: unknown; extensions?: Record<string, unknown> }>;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The server's first error in words we can translate: its code, message and quota details. */
export function uploadErrorOf(response: UploadResponse): UploadError {
  const first = (parseJson(response.body) as ErrorBody | undefined)?.errors?.[0];
  const extensions = first?.extensions ?? {};
  const code = typeof extensions.code === 'string' ? extensions.code : (CODE_OF_STATUS[response.status] ?? 'INTERNAL');
  const message = typeof first?.message === 'string' ? first.message : `HTTP ${response.status}`;
  const error: UploadError = { code, message };
  if (typeof extensions.quota === 'string') error.quota = extensions.quota;
  const limit = extensions.limit ?? extensions.maxBytes;
  if (typeof limit === 'number') error.limit = limit;
  return error;
}

/** Done, duplicate, or the error; `duplicate` comes from the body, with 200 vs 201 as the fallback. */
export function outcomeOf(response: UploadResponse): Pick<UploadItem, 'state' | 'documentId' | 'error'> {
  if (response.status !== 200 && response.status !== 201) return { state: 'failed', error: uploadErrorOf(response) };
  const body = parseJson(response.body) as { id?: unknown; duplicate?: unknown } | undefined;
  const duplicate = typeof body?.duplicate === 'boolean' ? body.duplicate : response.status === 200;
  return { state: duplicate ? 'duplicate' : 'done', documentId: typeof body?.id === 'string' ? body.id : undefined };
}

/** Read through a function: the user may cancel while an upload is awaited, which TypeScript's narrowing cannot see. */
const cancelled = (item: UploadItem): boolean => item.state === 'cancelled';

export function createUploader(options: UploaderOptions) {
  const concurrency = Math.max(1, options.concurrency ?? 3);
  const items = reactive<UploadItem[]>([]);
  const waiting: Array<{ item: UploadItem; run: () => Promise<void> }> = [];
  const aborts = new Map<number, () => void>();
  let running = 0;
  let nextKey = 1;

  async function send(knowledgeBaseId: string, file: File, item: UploadItem, retried = false): Promise<UploadResponse> {
    const token = await options.token();
    if (cancelled(item)) return { status: 0, body: '' };
    const call = options.transport({
      url: uploadUrl(knowledgeBaseId),
      file,
      fileName: file.name,
      token,
      onProgress: (loaded) => (item.loaded = Math.min(loaded, item.size)),
    });
    aborts.set(item.key, call.abort);
    const response = await call.response;
    // A token that expired in the meantime: refresh once and send the file again.
    if (response.status === 401 && !retried && !cancelled(item) && (await options.refresh?.())) {
      item.loaded = 0;
      return send(knowledgeBaseId, file, item, true);
    }
    return response;
  }

  async function upload(knowledgeBaseId: string, file: File, item: UploadItem): Promise<void> {
    item.state = 'uploading';
    const response = await send(knowledgeBaseId, file, item);
    aborts.delete(item.key);
    if (cancelled(item)) return;
    const outcome = outcomeOf(response);
    Object.assign(item, outcome);
    if (outcome.state !== 'failed') {
      item.loaded = item.size;
      options.onStored?.(item);
    }
  }

  function pump(): void {
    while (running < concurrency && waiting.length) {
      const next = waiting.shift()!;
      if (next.item.state === 'cancelled') continue;
      running++;
      void next
        .run()
        .catch((error: unknown) => {
          next.item.state = 'failed';
          next.item.error = { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
        })
        .finally(() => {
          running--;
          pump();
        });
    }
  }

  return {
    items: items as readonly UploadItem[],
    /** Queues the files and starts as many as the concurrency allows; returns their items (reactive). */
    add(knowledgeBaseId: string, files: Iterable<File>): UploadItem[] {
      const added = [...files].map((file) => {
        items.push({ key: nextKey++, name: file.name, size: file.size, loaded: 0, state: 'queued' });
        const item = items[items.length - 1]!; // the reactive proxy, so changes show
        waiting.push({ item, run: () => upload(knowledgeBaseId, file, item) });
        return item;
      });
      pump();
      return added;
    },
    cancel(key: number): void {
      const item = items.find((candidate) => candidate.key === key);
      if (!item || (item.state !== 'queued' && item.state !== 'uploading')) return;
      item.state = 'cancelled';
      aborts.get(key)?.();
    },
    /** Forgets the items that have ended (kept: those still waiting or uploading). */
    clearFinished(): void {
      const active = items.filter((item) => item.state === 'queued' || item.state === 'uploading');
      items.splice(0, items.length, ...active);
    },
  };
}

export type Uploader = ReturnType<typeof createUploader>;

/** The browser's transport: XMLHttpRequest, whose upload events report progress. */
export function xhrTransport(createRequest: () => XMLHttpRequest = () => new XMLHttpRequest()): UploadTransport {
  return ({ url, file, fileName, token, onProgress }) => {
    const request = createRequest();
    const response = new Promise<UploadResponse>((resolve) => {
      request.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) onProgress(event.loaded, event.total);
      });
      request.addEventListener('load', () => resolve({ status: request.status, body: request.responseText }));
      // Network failure, a connection the server closed, or our abort: there is no answer to read.
      request.addEventListener('error', () => resolve({ status: 0, body: '' }));
      request.addEventListener('abort', () => resolve({ status: 0, body: '' }));
      request.addEventListener('timeout', () => resolve({ status: 0, body: '' }));
    });
    request.open('POST', url);
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    const form = new FormData();
    form.append('file', file, fileName);
    request.send(form);
    return { response, abort: () => request.abort() };
  };
}

/** The uploader of the app: the session's token, refreshed when the server refuses it. */
export function useUpload(onStored?: (item: UploadItem) => void): Uploader {
  const { session } = useAppContext();
  return createUploader({
    transport: xhrTransport(),
    token: () => session.freshAccessToken(),
    refresh: () => session.rejected(),
    onStored,
  });
}
