/**
 * The refresh call, outside urql (it must not go through the exchange that reacts to refused tokens). A refused
 * refresh token rejects with the server's error; an unreachable server with a TypeError (the session is kept).
 */
import { stringifyDocument } from '@urql/core';
import { RefreshTokenMutation } from '../composables/useAuth';
import type { Session } from '../composables/session-store';

export async function refreshSession(origin: string, refreshToken: string): Promise<Session> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: stringifyDocument(RefreshTokenMutation), variables: { refreshToken } }),
  });
  const body = (await response.json()) as { data?: { refreshToken?: Session }; errors?: Array<{ message: string }> };
  if (!body.data?.refreshToken) throw new Error(body.errors?.[0]?.message ?? `refresh refused (${response.status})`);
  return body.data.refreshToken;
}
