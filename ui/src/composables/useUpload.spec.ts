/** The upload queue with a scripted transport: progress, several files, outcomes and the server's errors in words. */
import { describe, expect, it } from 'vitest';
import {
  createUploader,
  outcomeOf,
  uploadErrorOf,
  uploadUrl,
  xhrTransport,
  type UploadRequest,
  type UploadResponse,
  type UploadTransport,
} from './useUpload';

/** A transport whose calls the test answers one by one. */
function scriptedTransport() {
  const calls: Array<{ request: UploadRequest; answer(response: UploadResponse): void; aborted: boolean }> = [];
  const transport: UploadTransport = (request) => {
    let answer!: (response: UploadResponse) => void;
    const response = new Promise<UploadResponse>((resolve) => (answer = resolve));
    const call = { request, answer, aborted: false };
    calls.push(call);
    return {
      response,
      abort: () => {
        call.aborted = true;
        answer({ status: 0, body: '' });
      },
    };
  };
  return { transport, calls };
}

const file = (name: string, size = 10) => new File([new Uint8Array(size)], name);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const json = (status: number, body: unknown): UploadResponse => ({ status, body: JSON.stringify(body) });
const refusal = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
  json(status, { data: null, errors: [{ message, extensions: { code, ...extra } }] });

describe('createUploader', () => {
  it('sends each file to the route with the bearer token and reports its progress', async () => {
    const { transport, calls } = scriptedTransport();
    const uploader = createUploader({ transport, token: async () => 'token-1' });
    const [item] = uploader.add('kb/1', [file('guide.pdf', 1000)]);
    await settle();

    expect(calls).toHaveLength(1);
    expect(calls[0]!.request).toMatchObject({ url: '/api/knowledge-bases/kb%2F1/documents', fileName: 'guide.pdf', token: 'token-1' });
    expect(item!.state).toBe('uploading');
    calls[0]!.request.onProgress(250, 1000);
    expect(item!.loaded).toBe(250);
    calls[0]!.request.onProgress(1000, 1000);
    expect(item!.loaded).toBe(1000);

    calls[0]!.answer(json(201, { id: 'doc-1', outcome: 'created', duplicate: false }));
    await settle();
    expect(item).toMatchObject({ state: 'done', documentId: 'doc-1', loaded: 1000 });
  });

  it('uploads several files, a few at a time, each with its own progress', async () => {
    const { transport, calls } = scriptedTransport();
    const stored: string[] = [];
    const uploader = createUploader({ transport, token: async () => 't', concurrency: 2, onStored: (item) => stored.push(item.name) });
    const items = uploader.add('kb', [file('a.md', 100), file('b.md', 200), file('c.md', 300)]);
    await settle();

    expect(calls.map((call) => call.request.fileName)).toEqual(['a.md', 'b.md']);
    expect(items.map((item) => item.state)).toEqual(['uploading', 'uploading', 'queued']);
    calls[1]!.request.onProgress(50, 200);
    expect(items.map((item) => item.loaded)).toEqual([0, 50, 0]);

    calls[1]!.answer(json(201, { id: 'b', outcome: 'created', duplicate: false }));
    await settle();
    await settle();
    expect(calls.map((call) => call.request.fileName)).toEqual(['a.md', 'b.md', 'c.md']);
    calls[0]!.answer(json(200, { id: 'a', outcome: 'existing', duplicate: true }));
    calls[2]!.answer(refusal(415, 'UNSUPPORTED_MEDIA_TYPE', 'this kind of file is not supported'));
    await settle();

    expect(items.map((item) => item.state)).toEqual(['duplicate', 'done', 'failed']);
    expect(items[2]!.error).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'this kind of file is not supported' });
    expect(stored).toEqual(['b.md', 'a.md']);
    expect(uploader.items).toHaveLength(3);
  });

  it('refreshes a refused token once and sends the file again', async () => {
    const { transport, calls } = scriptedTransport();
    let token = 'old';
    const uploader = createUploader({ transport, token: async () => token, refresh: async () => ((token = 'new'), true) });
    const [item] = uploader.add('kb', [file('a.txt')]);
    await settle();
    calls[0]!.answer(refusal(401, 'UNAUTHENTICATED', 'sign in first'));
    await settle();
    await settle();

    expect(calls.map((call) => call.request.token)).toEqual(['old', 'new']);
    calls[1]!.answer(refusal(401, 'UNAUTHENTICATED', 'sign in first'));
    await settle();
    expect(item).toMatchObject({ state: 'failed', error: { code: 'UNAUTHENTICATED' } });
    expect(calls).toHaveLength(2);
  });

  it('cancels a running upload and skips a queued one', async () => {
    const { transport, calls } = scriptedTransport();
    const uploader = createUploader({ transport, token: async () => 't', concurrency: 1 });
    const [first, second] = uploader.add('kb', [file('a.txt'), file('b.txt')]);
    await settle();
    uploader.cancel(second!.key);
    uploader.cancel(first!.key);
    await settle();

    expect(calls[0]!.aborted).toBe(true);
    expect(calls).toHaveLength(1);
    expect([first!.state, second!.state]).toEqual(['cancelled', 'cancelled']);
    uploader.clearFinished();
    expect(uploader.items).toHaveLength(0);
  });
});

describe('the server’s answers', () => {
  it('maps refusals to their code and quota details', () => {
    expect(uploadErrorOf(refusal(413, 'PAYLOAD_TOO_LARGE', 'the file is larger than the limit', { maxBytes: 52428800 }))).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'the file is larger than the limit',
      limit: 52428800,
    });
    const inFlight = refusal(429, 'QUOTA_EXCEEDED', 'quota exceeded', { quota: 'documentsInFlight', limit: 5, usage: 5, retryable: true });
    expect(uploadErrorOf(inFlight)).toEqual({ code: 'QUOTA_EXCEEDED', message: 'quota exceeded', quota: 'documentsInFlight', limit: 5 });
    const stored = refusal(403, 'QUOTA_EXCEEDED', 'quota exceeded', { quota: 'bytesStored', limit: 1000, usage: 900, retryable: false });
    expect(uploadErrorOf(stored)).toMatchObject({ quota: 'bytesStored', limit: 1000 });
  });

  it('falls back to the HTTP status when the body is not ours', () => {
    expect(uploadErrorOf({ status: 413, body: '<html>Request Entity Too Large</html>' })).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'HTTP 413',
    });
    expect(uploadErrorOf({ status: 415, body: '' }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(uploadErrorOf({ status: 0, body: '' }).code).toBe('NETWORK');
    expect(uploadErrorOf({ status: 502, body: 'Bad gateway' }).code).toBe('INTERNAL');
  });

  it('tells a duplicate from a new document', () => {
    expect(outcomeOf(json(201, { id: 'd', outcome: 'created', duplicate: false }))).toEqual({ state: 'done', documentId: 'd' });
    expect(outcomeOf(json(201, { id: 'd', outcome: 'replaced', duplicate: false })).state).toBe('done');
    expect(outcomeOf(json(200, { id: 'd', outcome: 'existing', duplicate: true })).state).toBe('duplicate');
    expect(outcomeOf({ status: 200, body: '' }).state).toBe('duplicate');
  });

  it('builds the route of a knowledge base', () => {
    expect(uploadUrl('a b')).toBe('/api/knowledge-bases/a%20b/documents');
  });
});

describe('xhrTransport', () => {
  /** Just enough of XMLHttpRequest for the transport: listeners, open/send and the headers it set. */
  class FakeXhr {
    listeners = new Map<string, Array<(event: unknown) => void>>();
    uploadListeners = new Map<string, Array<(event: unknown) => void>>();
    headers: Record<string, string> = {};
    opened?: [string, string];
    sent?: FormData;
    status = 0;
    responseText = '';
    upload = { addEventListener: (type: string, listener: (event: unknown) => void) => add(this.uploadListeners, type, listener) };
    addEventListener(type: string, listener: (event: unknown) => void) {
      add(this.listeners, type, listener);
    }
    open(method: string, url: string) {
      this.opened = [method, url];
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    send(body: FormData) {
      this.sent = body;
    }
    abort() {
      this.listeners.get('abort')?.forEach((listener) => listener({}));
    }
    fire(type: string, event: unknown = {}) {
      this.listeners.get(type)?.forEach((listener) => listener(event));
    }
  }
  const add = (map: Map<string, Array<(event: unknown) => void>>, type: string, listener: (event: unknown) => void) =>
    map.set(type, [...(map.get(type) ?? []), listener]);

  it('posts the file as multipart field "file" with the bearer token, and reports upload progress', async () => {
    const xhr = new FakeXhr();
    const progress: number[] = [];
    const call = xhrTransport(() => xhr as unknown as XMLHttpRequest)({
      url: '/api/knowledge-bases/kb/documents',
      file: new Blob(['hello']),
      fileName: 'hello.txt',
      token: 'secret',
      onProgress: (loaded) => progress.push(loaded),
    });

    expect(xhr.opened).toEqual(['POST', '/api/knowledge-bases/kb/documents']);
    expect(xhr.headers).toEqual({ authorization: 'Bearer secret' });
    expect((xhr.sent!.get('file') as File).name).toBe('hello.txt');
    xhr.uploadListeners.get('progress')!.forEach((listener) => listener({ lengthComputable: true, loaded: 3, total: 5 }));
    xhr.uploadListeners.get('progress')!.forEach((listener) => listener({ lengthComputable: false, loaded: 4, total: 0 }));
    expect(progress).toEqual([3]);

    xhr.status = 201;
    xhr.responseText = '{"id":"d"}';
    xhr.fire('load');
    await expect(call.response).resolves.toEqual({ status: 201, body: '{"id":"d"}' });
  });

  it('answers status 0 when the connection fails or is aborted', async () => {
    const failed = new FakeXhr();
    const call = xhrTransport(() => failed as unknown as XMLHttpRequest)({
      url: '/u',
      file: new Blob(['x']),
      fileName: 'x',
      token: undefined,
      onProgress: () => undefined,
    });
    expect(failed.headers).toEqual({});
    failed.fire('error');
    await expect(call.response).resolves.toEqual({ status: 0, body: '' });

    const aborted = new FakeXhr();
    const second = xhrTransport(() => aborted as unknown as XMLHttpRequest)({
      url: '/u',
      file: new Blob(['x']),
      fileName: 'x',
      token: 't',
      onProgress: () => undefined,
    });
    second.abort();
    await expect(second.response).resolves.toEqual({ status: 0, body: '' });
  });
});
