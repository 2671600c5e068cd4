/**
 * A real local HTTP server speaking the OpenAI chat-completions protocol (streaming SSE, and plain JSON when
 * `stream` is false), for tests and benchmarks: generation is tested against the wire, never against mocked
 * functions. Each request takes the next scripted behaviour (then the fallback); every request is recorded with
 * its body, and with whether the client closed the connection before the answer was finished.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type StubBehaviour =
  | {
      kind: 'stream';
      tokens: readonly string[];
      /** Wait before each token (slow tokens). */
      delayMs?: number;
      /** 'none': a provider that never reports usage. Default: sent when asked for, with rough counts. */
      usage?: StubUsage | 'none';
      /** Default 'stop'. */
      finishReason?: string;
      /** Destroy the socket after this many tokens (a stream that dies midway). */
      dieAfter?: number;
      /** Send this many tokens, then nothing, keeping the connection open (a stream that stalls). */
      stallAfter?: number;
    }
  /** An error answer in OpenAI's shape, e.g. 429 or 503. */
  | { kind: 'status'; status: number; message?: string; headers?: Record<string, string> }
  /** Accept the request and never answer (no headers). */
  | { kind: 'hang' };

export interface StubChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  [key: string]: unknown;
}

export interface StubRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: StubChatRequest;
  /** The client closed the connection before the answer was finished (an abort seen from the server). */
  closedByClient: boolean;
  /** performance.now() when the request's body was read, and when its first token was written (benchmarks). */
  receivedAt: number;
  firstTokenAt?: number;
  /** Settles when the answer is finished, the server destroyed the socket, or the client went away. */
  settled: Promise<'finished' | 'destroyed' | 'closed-by-client'>;
}

export interface OpenAiStubServer {
  /** Ends in /v1, as the openai client expects. */
  readonly baseURL: string;
  readonly requests: StubRequest[];
  /** Behaviours for the next requests, one per request, in order. */
  script(...behaviours: StubBehaviour[]): void;
  /** Forget the script and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const CHAT_PATH = '/v1/chat/completions';

/** About four characters a token: good enough for a stub's unasked-for counts. */
const roughTokens = (text: string) => Math.ceil(text.length / 4);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const created = () => Math.floor(Date.now() / 1000);

function chunkOf(id: string, model: string, delta: object, finishReason: string | null = null) {
  const choice = { index: 0, delta, finish_reason: finishReason, logprobs: null };
  return { id, object: 'chat.completion.chunk', created: created(), model, choices: [choice] };
}

const withTotal = (usage: StubUsage) => ({ ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens });

function sendError(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  const type = status < 500 ? 'invalid_request_error' : 'server_error';
  response.end(JSON.stringify({ error: { message, type, code: null } }));
}

async function streamAnswer(
  response: ServerResponse,
  body: StubChatRequest,
  behaviour: StreamBehaviour,
  gone: () => boolean,
  destroy: () => void,
  recorded: StubRequest,
) {
  const id = `chatcmpl-stub-${Math.random().toString(36).slice(2)}`;
  let written = Promise.resolve();
  const send = (data: object | string) => {
    const line = `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
    written = new Promise((resolve) => response.write(line, () => resolve()));
  };
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // Real servers open with the role; some clients rely on it.
  send(chunkOf(id, body.model, { role: 'assistant', content: '' }));
  // Dies only once what was sent has left the process: the client must see those tokens, then the break.
  const flushedThenDestroy = () => void written.then(destroy);
  for (const [index, token] of behaviour.tokens.entries()) {
    if (behaviour.dieAfter === index) return flushedThenDestroy();
    if (behaviour.stallAfter === index) return;
    if (behaviour.delayMs) await sleep(behaviour.delayMs);
    if (gone()) return;
    recorded.firstTokenAt ??= performance.now();
    send(chunkOf(id, body.model, { content: token }));
  }
  if (behaviour.dieAfter === behaviour.tokens.length) return flushedThenDestroy();
  send(chunkOf(id, body.model, {}, behaviour.finishReason ?? 'stop'));
  if (body.stream_options?.include_usage && behaviour.usage !== 'none') {
    const usage = behaviour.usage ?? {
      prompt_tokens: roughTokens(body.messages.map((message) => message.content).join('')),
      completion_tokens: behaviour.tokens.length,
    };
    // OpenAI's last chunk: no choices, the usage of the whole request.
    send({ id, object: 'chat.completion.chunk', created: created(), model: body.model, choices: [], usage: withTotal(usage) });
  }
  send('[DONE]');
  response.end();
}

type StreamBehaviour = Extract<StubBehaviour, { kind: 'stream' }>;

function plainAnswer(response: ServerResponse, body: StubChatRequest, behaviour: StreamBehaviour) {
  const content = behaviour.tokens.join('');
  const rough = { prompt_tokens: roughTokens(JSON.stringify(body.messages)), completion_tokens: behaviour.tokens.length };
  const usage = behaviour.usage === 'none' ? undefined : (behaviour.usage ?? rough);
  const message = { role: 'assistant', content };
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      id: 'chatcmpl-stub',
      object: 'chat.completion',
      created: created(),
      model: body.model,
      choices: [{ index: 0, message, finish_reason: behaviour.finishReason ?? 'stop' }],
      ...(usage ? { usage: withTotal(usage) } : {}),
    }),
  );
}

export async function startOpenAiStubServer(
  options: { fallback?: StubBehaviour; host?: string } = {},
): Promise<OpenAiStubServer> {
  const fallback = options.fallback ?? { kind: 'stream', tokens: ['OK'] };
  const requests: StubRequest[] = [];
  let script: StubBehaviour[] = [];

  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (request.method !== 'POST' || request.url !== CHAT_PATH) {
      return sendError(response, 404, `no route ${request.method} ${request.url}`);
    }
    let body: StubChatRequest;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as StubChatRequest;
    } catch {
      return sendError(response, 400, 'the body is not JSON');
    }
    let destroyedByServer = false;
    let settle!: (how: 'finished' | 'destroyed' | 'closed-by-client') => void;
    const recorded: StubRequest = {
      path: request.url,
      headers: request.headers,
      body,
      closedByClient: false,
      receivedAt: performance.now(),
      settled: new Promise((resolve) => (settle = resolve)),
    };
    requests.push(recorded);
    response.on('close', () => {
      if (destroyedByServer) settle('destroyed');
      else if (response.writableFinished) settle('finished');
      else {
        recorded.closedByClient = true;
        settle('closed-by-client');
      }
    });
    const destroy = () => {
      destroyedByServer = true;
      response.socket?.destroy();
    };

    const behaviour = script.shift() ?? fallback;
    switch (behaviour.kind) {
      case 'hang':
        return;
      case 'status':
        return sendError(response, behaviour.status, behaviour.message ?? `scripted ${behaviour.status}`, behaviour.headers);
      case 'stream':
        if (body.stream) await streamAnswer(response, body, behaviour, () => recorded.closedByClient, destroy, recorded);
        else plainAnswer(response, body, behaviour);
        return;
      default: {
        const unknown: never = behaviour;
        throw new Error(`unknown behaviour ${JSON.stringify(unknown)}`);
      }
    }
  });

  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://${options.host ?? '127.0.0.1'}:${port}/v1`,
    requests,
    script: (...behaviours) => script.push(...behaviours),
    reset: () => {
      script = [];
      requests.length = 0;
    },
    close: async () => {
      // Hanging and stalled answers would keep close() waiting for ever.
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
