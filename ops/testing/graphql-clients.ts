/**
 * Real GraphQL clients for e2e tests: HTTP via fetch, subscriptions via graphql-ws over the `ws` package.
 */
import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: GraphQLFormattedError[];
  /** extensions.code of each error, for short assertions. */
  codes: string[];
  /** The response's own extensions (e.g. notYetVisible: writes saved but not yet in the read models). */
  extensions?: Record<string, unknown>;
}

/** A bearer token, or full control over the request headers (e.g. a malformed Authorization). */
export type GqlAuth = string | { token?: string; headers?: Record<string, string> } | undefined;

export const errorCodes = (errors: readonly GraphQLFormattedError[] | undefined): string[] =>
  (errors ?? []).map((e) => String(e.extensions?.code ?? ''));

export async function postGraphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  auth?: GqlAuth,
): Promise<GqlResult<T>> {
  const options = typeof auth === 'string' ? { token: auth } : (auth ?? {});
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: { data?: T | null; errors?: GraphQLFormattedError[]; extensions?: Record<string, unknown> };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`non-JSON response ${response.status}: ${text.slice(0, 200)}`);
  }
  return { status: response.status, ...body, codes: errorCodes(body.errors) };
}

export interface TestSubscription<T = Record<string, unknown>> {
  /** The next result (data or errors); rejects on timeout, or when the subscription failed or completed. */
  next(timeoutMs?: number): Promise<FormattedExecutionResult<T>>;
  /** Every result received so far. */
  readonly received: FormattedExecutionResult<T>[];
  /** Resolves when the server completes the subscription; rejects when it fails or the connection is refused. */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Sent as connection_init payload { authorization: "Bearer …" }. */
  token?: string;
  /** Raw connection_init payload (overrides token). */
  connectionParams?: Record<string, unknown>;
  /** Headers of the WebSocket upgrade request. */
  headers?: Record<string, string>;
}

export function subscribeGraphql<T = Record<string, unknown>>(
  wsUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: SubscribeOptions = {},
): TestSubscription<T> {
  const headers = options.headers;
  class HeaderWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, headers ? { headers } : {});
    }
  }
  const client: Client = createClient({
    url: `${wsUrl}/graphql`,
    webSocketImpl: HeaderWebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: options.connectionParams ?? (options.token ? { authorization: `Bearer ${options.token}` } : {}),
  });
  const received: FormattedExecutionResult<T>[] = [];
  const waiting: Array<{ resolve: (r: FormattedExecutionResult<T>) => void; reject: (e: Error) => void }> = [];
  let cursor = 0;
  let ended: Error | undefined;
  let resolveDone!: () => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined); // observed through next() or by the test awaiting done

  const toError = (error: unknown): Error => {
    if (error instanceof Error) return error;
    if (Array.isArray(error)) return new Error(`subscription errors: ${JSON.stringify(error)}`);
    const close = error as { code?: number; reason?: string };
    return Object.assign(new Error(`connection closed: ${close.code ?? '?'} ${close.reason ?? ''}`.trim()), {
      closeCode: close.code,
    });
  };
  const end = (error: Error) => {
    ended = error;
    for (const w of waiting.splice(0)) w.reject(error);
  };

  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        received.push(value as FormattedExecutionResult<T>);
        const waiter = waiting.shift();
        if (waiter) waiter.resolve(received[cursor++]!);
      },
      error: (error) => {
        const e = toError(error);
        end(e);
        rejectDone(e);
      },
      complete: () => {
        end(new Error('subscription completed'));
        resolveDone();
      },
    },
  );

  return {
    received,
    done,
    next(timeoutMs = 5000) {
      if (cursor < received.length) return Promise.resolve(received[cursor++]!);
      if (ended) return Promise.reject(ended);
      return new Promise((resolve, reject) => {
        const waiter = {
          resolve: (r: FormattedExecutionResult<T>) => {
            clearTimeout(timer);
            resolve(r);
          },
          reject: (e: Error) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`no subscription result within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(waiter);
      });
    },
    async close() {
      dispose();
      await client.dispose();
    },
  };
}
