/**
 * The signed-in session: tokens and user kept in localStorage (so a reload stays signed in), and the access token
 * refreshed a minute before it expires (or half-way through a shorter life). Framework-free apart from Vue's
 * reactivity, so the refresh logic is tested with fake timers and a fake refresh call.
 */
import { reactive, readonly } from 'vue';

export interface SessionUser {
  id: string;
  email: string;
  displayName?: string | null;
  role: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: SessionUser;
}

export type RefreshCall = (refreshToken: string) => Promise<Session>;

export interface SessionStoreOptions {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  refresh: RefreshCall;
  now?: () => number;
  /** Refresh this long before the access token expires (default 60 s). */
  leadMs?: number;
}

export interface SessionState {
  session: Session | null;
  /** Why the last session ended without the user asking: 'expired' (refresh refused) or null. */
  endedBecause: 'expired' | null;
}

const STORAGE_KEY = 'ka.session';

/** The `exp` claim of a JWT in ms, or undefined when the token cannot be read. */
export function tokenExpiresAt(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function load(storage: SessionStoreOptions['storage']): Session | null {
  try {
    const value = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return value && typeof value.accessToken === 'string' && typeof value.refreshToken === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function createSessionStore(options: SessionStoreOptions) {
  const now = options.now ?? Date.now;
  const leadMs = options.leadMs ?? 60_000;
  const state = reactive<SessionState>({ session: load(options.storage), endedBecause: null });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<boolean> | undefined;

  function schedule(): void {
    clearTimeout(timer);
    timer = undefined;
    const session = state.session;
    if (!session) return;
    const expiresAt = tokenExpiresAt(session.accessToken);
    if (expiresAt === undefined) return;
    const life = expiresAt - now();
    // A minute ahead; a token that lives less than two minutes is refreshed half-way through its life.
    const wait = Math.max(0, life > 2 * leadMs ? life - leadMs : life / 2);
    timer = setTimeout(() => void refreshNow(), wait);
  }

  function set(session: Session | null, endedBecause: SessionState['endedBecause'] = null): void {
    state.session = session;
    state.endedBecause = session ? null : endedBecause;
    if (session) options.storage.setItem(STORAGE_KEY, JSON.stringify(session));
    else options.storage.removeItem(STORAGE_KEY);
    schedule();
  }

  /** Exchanges the refresh token; false (and signed out, as expired) when the server refuses it. */
  function refreshNow(): Promise<boolean> {
    const session = state.session;
    if (!session) return Promise.resolve(false);
    refreshing ??= options
      .refresh(session.refreshToken)
      .then(
        (next) => (set(next), true),
        (error: unknown) => {
          // A server we cannot reach is not a refused session: keep it and try again shortly.
          if (error instanceof TypeError || (error as { network?: boolean }).network) {
            clearTimeout(timer);
            timer = setTimeout(() => void refreshNow(), 5_000);
            return false;
          }
          set(null, 'expired');
          return false;
        },
      )
      .finally(() => (refreshing = undefined));
    return refreshing;
  }

  /** The access token to send now, refreshed first when it has expired (or is about to). */
  async function freshAccessToken(): Promise<string | undefined> {
    const session = state.session;
    if (!session) return undefined;
    const expiresAt = tokenExpiresAt(session.accessToken);
    if (expiresAt !== undefined && expiresAt - now() < 5_000) await refreshNow();
    return state.session?.accessToken;
  }

  schedule();
  return {
    state: readonly(state),
    signedIn: (session: Session) => set(session),
    signOut: () => set(null),
    /** The server said the token is no good: try the refresh token once, else end the session as expired. */
    rejected: () => refreshNow(),
    refreshNow,
    freshAccessToken,
    accessToken: () => state.session?.accessToken,
    dispose: () => clearTimeout(timer),
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
