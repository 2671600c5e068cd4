/** Sign in, register and sign out; the signed-in user and why a session ended. */
import { computed } from 'vue';
import { graphql } from '../graphql/generated';
import { firstError } from '../graphql/errors';
import { useAppContext } from './app-context';
import type { Session } from './session-store';

export const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      accessToken
      refreshToken
      user { id email displayName role }
    }
  }
`);

export const RegisterMutation = graphql(`
  mutation Register($email: String!, $password: String!, $displayName: String) {
    register(email: $email, password: $password, displayName: $displayName) {
      accessToken
      refreshToken
      user { id email displayName role }
    }
  }
`);

export const RefreshTokenMutation = graphql(`
  mutation RefreshToken($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      user { id email displayName role }
    }
  }
`);

export function useAuth() {
  const { session, api } = useAppContext();

  async function finish(result: { data?: { login?: Session; register?: Session } | undefined; error?: Parameters<typeof firstError>[0] }) {
    const next = result.data?.login ?? result.data?.register;
    if (!next) return firstError(result.error);
    session.signedIn(next);
    api.reconnect();
    return undefined;
  }

  return {
    user: computed(() => session.state.session?.user ?? null),
    isAdmin: computed(() => session.state.session?.user.role === 'admin'),
    endedBecause: computed(() => session.state.endedBecause),
    /** Returns the error to show, or undefined when signed in. */
    async signIn(email: string, password: string) {
      return finish(await api.urql.mutation(LoginMutation, { email, password }).toPromise());
    },
    async register(email: string, password: string, displayName?: string) {
      return finish(await api.urql.mutation(RegisterMutation, { email, password, displayName: displayName || null }).toPromise());
    },
    signOut() {
      session.signOut();
      api.reconnect();
    },
  };
}
