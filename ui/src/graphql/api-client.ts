/**
 * One connection to the server for the whole app: urql over HTTP for queries and mutations, graphql-ws on the same
 * origin for subscriptions, both carrying the session's access token. A token the server refuses triggers one
 * refresh (else the session ends as expired); a server that cannot be reached is reported, not shown as a blank page.
 */
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange, type CombinedError } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { reactive, readonly } from 'vue';
import type { SessionStore } from '../composables/session-store';

export interface ConnectionState {
  /** False while the last request or the WebSocket could not reach the server. */
  reachable: boolean;
}

export interface ApiClient {
  urql: Client;
  ws: WsClient;
  connection: Readonly<ConnectionState>;
  /** Drops the WebSocket so that it reconnects with the current token (after sign in or out). */
  reconnect(): void;
}

const UNREACHABLE_CLOSE_CODES = new Set([1001, 1006, 1011, 1012, 1013, 1014]);

export const isUnauthenticated = (error: CombinedError | undefined): boolean =>
  !!error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED') || error?.response?.status === 401;

export function createApiClient(session: SessionStore, origin = window.location.origin): ApiClient {
  const connection = reactive<ConnectionState>({ reachable: true });
  const ws = createWsClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(8_000, 300 * 2 ** retries))),
    connectionParams: async () => {
      const token = await session.freshAccessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connected: () => (connection.reachable = true),
      closed: (event) => {
        // Only a socket that could not be opened or was cut (1006) or a server going away or failing (1001,
        // 1011-1014) means the server is out of reach; 4xxx are the protocol's answers (a refused token, our own
        // reconnect), and an expired session is told by the HTTP side.
        if (UNREACHABLE_CLOSE_CODES.has((event as { code?: number }).code ?? 1006)) connection.reachable = false;
      },
    },
  });
  const urql = new Client({
    url: `${origin}/graphql`,
    requestPolicy: 'cache-and-network',
    fetchOptions: (): RequestInit => {
      const token = session.accessToken();
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      return { headers };
    },
    exchanges: [
      mapExchange({
        onResult: (result) => {
          if (!result.error?.networkError) connection.reachable = true;
        },
        onError: (error) => {
          if (error.networkError && !error.response) connection.reachable = false;
          if (isUnauthenticated(error) && session.accessToken()) void session.rejected();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { urql, ws, connection: readonly(connection), reconnect: () => ws.terminate() };
}
