/**
 * A local HTTP server speaking the OpenAI embeddings protocol (POST /v1/embeddings: `model`, `input` as a string or
 * strings, optional `dimensions`, `encoding_format` 'float' or 'base64'), started on a free port. The bench points
 * the product's OpenAI-compatible embedder at it, so ingestion and search run exactly the code path they run with a
 * real model: HTTP, batching, dimension checks, the dense weight a model gets. Only the numbers are not a model's:
 * they come from the rule passed in (see test-embedding-rule.ts), and quality measured with them says nothing about
 * a real model's quality.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type EmbeddingRule = (text: string, dimensions: number) => Float32Array;

export interface EmbeddingServer {
  /** e.g. http://127.0.0.1:41234/v1, what OPENAI_BASE_URL takes. */
  baseURL: string;
  /** Requests answered with vectors, and texts embedded, so far. */
  readonly stats: { requests: number; texts: number };
  close(): Promise<void>;
}

interface EmbeddingsRequest {
  model?: unknown;
  input?: unknown;
  dimensions?: unknown;
  encoding_format?: unknown;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

const badRequest = (response: ServerResponse, message: string) =>
  reply(response, 400, { error: { message, type: 'invalid_request_error' } });

export async function startEmbeddingServer(rule: EmbeddingRule, defaultDimensions: number): Promise<EmbeddingServer> {
  const stats = { requests: 0, texts: 0 };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST' || request.url !== '/v1/embeddings') return reply(response, 404, { error: { message: 'not found' } });
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    let body: EmbeddingsRequest;
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8')) as EmbeddingsRequest;
    } catch {
      return badRequest(response, 'body is not JSON');
    }
    const input = typeof body.input === 'string' ? [body.input] : body.input;
    if (!Array.isArray(input) || input.some((text) => typeof text !== 'string')) {
      return badRequest(response, 'input must be a string or an array of strings');
    }
    const dimensions = body.dimensions ?? defaultDimensions;
    if (!Number.isInteger(dimensions) || (dimensions as number) < 1) return badRequest(response, 'bad dimensions');
    const base64 = body.encoding_format === 'base64';
    const data = (input as string[]).map((text, index) => {
      const vector = rule(text, dimensions as number);
      const embedding = base64 ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64') : Array.from(vector);
      return { object: 'embedding', index, embedding };
    });
    stats.requests++;
    stats.texts += input.length;
    const tokens = (input as string[]).reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    reply(response, 200, { object: 'list', model: body.model, data, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => reply(response, 500, { error: { message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
