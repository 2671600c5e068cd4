/** What a failed operation tells the user: the server's typed error (code + message) or "cannot reach the server". */
import type { CombinedError } from '@urql/core';

export interface UiError {
  /** The server's extensions.code, or NETWORK when it could not be reached. */
  code: string;
  message: string;
}

export function firstError(error: CombinedError | undefined): UiError | undefined {
  if (!error) return undefined;
  if (error.networkError && !error.graphQLErrors.length) return { code: 'NETWORK', message: error.networkError.message };
  const first = error.graphQLErrors[0];
  const code = first?.extensions?.code;
  return { code: typeof code === 'string' ? code : 'INTERNAL', message: first?.message ?? error.message };
}
