import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSessionStore, tokenExpiresAt, type Session } from './session-store';

/** An unsigned JWT-shaped token expiring at `expMs` (the store reads only the claims). */
const token = (expMs: number, id = 'a') =>
  `h.${btoa(JSON.stringify({ sub: id, exp: Math.floor(expMs / 1000) })).replace(/=+$/, '')}.s`;

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

const user = { id: 'u1', email: 'u1@example.com', role: 'member' };
const sessionExpiringIn = (ms: number, refreshToken = 'r1'): Session => ({
  accessToken: token(Date.now() + ms),
  refreshToken,
  user,
});

describe('session store', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-12-05T10:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('reads exp from a token', () => {
    expect(tokenExpiresAt(token(Date.parse('2026-12-05T10:15:00Z')))).toBe(Date.parse('2026-12-05T10:15:00Z'));
    expect(tokenExpiresAt('not-a-jwt')).toBeUndefined();
  });

  it('survives a reload: a stored session is signed in again', () => {
    const storage = memoryStorage();
    const first = createSessionStore({ storage, refresh: vi.fn() });
    first.signedIn(sessionExpiringIn(15 * 60_000));
    first.dispose();
    const reloaded = createSessionStore({ storage, refresh: vi.fn() });
    expect(reloaded.state.session?.user.email).toBe('u1@example.com');
    reloaded.dispose();
  });

  it('refreshes a minute before the access token expires, and again with the new one', async () => {
    const refresh = vi.fn(async (refreshToken: string) => sessionExpiringIn(15 * 60_000, `${refreshToken}+`));
    const store = createSessionStore({ storage: memoryStorage(), refresh });
    store.signedIn(sessionExpiringIn(15 * 60_000));
    await vi.advanceTimersByTimeAsync(13 * 60_000);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000 + 1);
    expect(refresh).toHaveBeenCalledWith('r1');
    expect(store.state.session?.refreshToken).toBe('r1+');
    await vi.advanceTimersByTimeAsync(14 * 60_000 + 1);
    expect(refresh).toHaveBeenLastCalledWith('r1+');
    store.dispose();
  });

  it('asks once when many callers need a fresh token at the same moment', async () => {
    const refresh = vi.fn(async () => sessionExpiringIn(15 * 60_000, 'r2'));
    const store = createSessionStore({ storage: memoryStorage(), refresh });
    store.signedIn(sessionExpiringIn(1_000));
    const tokens = await Promise.all([store.freshAccessToken(), store.freshAccessToken(), store.freshAccessToken()]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(new Set(tokens).size).toBe(1);
    expect(store.state.session?.refreshToken).toBe('r2');
    store.dispose();
  });

  it('ends the session as expired when the server refuses the refresh token', async () => {
    const storage = memoryStorage();
    const store = createSessionStore({ storage, refresh: async () => Promise.reject(new Error('refresh token revoked')) });
    store.signedIn(sessionExpiringIn(15 * 60_000));
    expect(await store.rejected()).toBe(false);
    expect(store.state.session).toBeNull();
    expect(store.state.endedBecause).toBe('expired');
    expect(storage.items.size).toBe(0);
    store.dispose();
  });

  it('keeps the session when the server cannot be reached, and tries again', async () => {
    let reachable = false;
    const refresh = vi.fn(async () => {
      if (!reachable) throw new TypeError('Failed to fetch');
      return sessionExpiringIn(15 * 60_000, 'r3');
    });
    const store = createSessionStore({ storage: memoryStorage(), refresh });
    store.signedIn(sessionExpiringIn(30_000));
    await vi.advanceTimersByTimeAsync(15_000 + 1);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(store.state.session?.refreshToken).toBe('r1');
    reachable = true;
    await vi.advanceTimersByTimeAsync(5_000 + 1);
    expect(store.state.session?.refreshToken).toBe('r3');
    store.dispose();
  });

  it('signing out forgets the session and stops refreshing', async () => {
    const refresh = vi.fn(async () => sessionExpiringIn(15 * 60_000));
    const storage = memoryStorage();
    const store = createSessionStore({ storage, refresh });
    store.signedIn(sessionExpiringIn(15 * 60_000));
    store.signOut();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(refresh).not.toHaveBeenCalled();
    expect(store.state.endedBecause).toBeNull();
    expect(storage.items.size).toBe(0);
  });
});
