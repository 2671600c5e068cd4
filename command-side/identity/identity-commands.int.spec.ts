import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../contracts/errors.ts';
import type { EventStore } from '../../contracts/eventstore.ts';
import {
  FIRST_ADMIN_STREAM,
  INVALID_CREDENTIALS,
  INVALID_REFRESH_TOKEN,
  loginInputSchema,
  type IdentityCommands,
} from '../../contracts/identity.ts';
import { userStream } from '../../contracts/streams.ts';
import { openTestEventStore, type TestEventStore } from '../../ops/testing/eventstores.ts';
import { CLAIM_GRACE_MS } from './claims.ts';
import { emailStreamOf } from './email-key.ts';
import { createIdentityCommands } from './identity-commands.ts';
import { createArgon2Hasher } from './passwords.ts';

const passwords = createArgon2Hasher();
const meta = { correlationId: 'c1', causationId: 'k1' };
const input = (email: string, password = 'correct horse') => ({ email, password, displayName: null });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'ok';
}

const usersWithEmail = async (store: EventStore, email: string) =>
  (await store.readAll({ filter: { eventTypes: ['UserRegistered'] } })).filter((e) => e.data.email === email);

describe.each(['pglite', 'postgres'] as const)('identity commands on %s', (kind) => {
  let test: TestEventStore;
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  let identity: IdentityCommands;
  const shredded: string[] = [];

  beforeAll(async () => {
    test = await openTestEventStore(kind);
    identity = createIdentityCommands({
      store: test.store,
      passwords,
      now: () => new Date(clock),
      newId: randomUUID,
      refreshTokenTtlSeconds: 3600,
      keys: { shred: async (subjects) => void shredded.push(...subjects) },
    });
  });
  afterAll(async () => {
    await test?.close();
  });

  it('concurrent first registrations of different emails make exactly one admin', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => identity.register(input(`first${i}@example.com`), meta)),
    );
    expect(results.filter((r) => r.user.role === 'admin')).toHaveLength(1);
    expect(results.filter((r) => r.user.role === 'member')).toHaveLength(5);
    const claims = await test.store.readStream(FIRST_ADMIN_STREAM);
    expect(claims).toHaveLength(1);
    expect(claims[0]!.data.userId).toBe(results.find((r) => r.user.role === 'admin')!.user.id);
  });

  it('concurrent registrations of one email give exactly one user; the others get CONFLICT', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => codeOf(identity.register(input('same@example.com'), meta))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
    expect(outcomes.filter((o) => o.startsWith('CONFLICT'))).toHaveLength(7);
    expect(await usersWithEmail(test.store, 'same@example.com')).toHaveLength(1);
    expect(await test.store.readStream(emailStreamOf('same@example.com'))).toHaveLength(1);
  });

  it('events carry correlation, causation and the acting user', async () => {
    const { user } = await identity.register(input('meta@example.com'), meta);
    const [registered] = await test.store.readStream(userStream(user.id));
    expect(registered!.metadata).toMatchObject({ ...meta, userId: user.id });
    expect(registered!.data.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('login: right password works; wrong password and unknown email fail alike', async () => {
    await identity.register(input('login@example.com'), meta);
    const session = await identity.login(loginInputSchema.parse({ email: ' LOGIN@example.com ', password: 'correct horse' }), meta);
    expect(session.user.email).toBe('login@example.com');
    const wrong = await codeOf(identity.login({ email: 'login@example.com', password: 'wrong horse' }, meta));
    const unknown = await codeOf(identity.login({ email: 'nobody@example.com', password: 'wrong horse' }, meta));
    expect(wrong).toBe(`UNAUTHENTICATED: ${INVALID_CREDENTIALS}`);
    expect(unknown).toBe(wrong);
  });

  it('an unknown email costs a password verification too (no timing shortcut)', async () => {
    const timed = async (email: string) => {
      const started = performance.now();
      await codeOf(identity.login({ email, password: 'wrong horse' }, meta));
      return performance.now() - started;
    };
    await timed('nobody@example.com'); // the dummy hash is computed once, lazily
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      wrong.push(await timed('login@example.com'));
      unknown.push(await timed('nobody@example.com'));
    }
    // Without the dummy verification an unknown email answers in ~1 ms against tens of ms.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
  });

  it('refresh rotates; reusing a rotated token revokes the whole family', async () => {
    const first = await identity.register(input('refresh@example.com'), meta);
    const second = await identity.refresh(first.refreshToken, meta);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const third = await identity.refresh(second.refreshToken, meta);

    expect(await codeOf(identity.refresh(first.refreshToken, meta))).toBe(`UNAUTHENTICATED: ${INVALID_REFRESH_TOKEN}`);
    expect(await codeOf(identity.refresh(third.refreshToken, meta))).toMatch(/^UNAUTHENTICATED/);

    const types = (await test.store.readStream(userStream(first.user.id))).map((e) => e.type);
    expect(types).toEqual([
      'UserRegistered',
      'RefreshTokenIssued',
      'RefreshTokenRotated',
      'RefreshTokenRotated',
      'RefreshTokenFamilyRevoked',
    ]);
    // Another session of the same user is untouched.
    const other = await identity.login({ email: 'refresh@example.com', password: 'correct horse' }, meta);
    expect((await identity.refresh(other.refreshToken, meta)).user.id).toBe(first.user.id);
  });

  it('forged and malformed refresh tokens are refused and append nothing', async () => {
    const { user, refreshToken } = await identity.register(input('forged@example.com'), meta);
    const before = await test.store.readStream(userStream(user.id));
    const forged = `${user.id}.${'A'.repeat(43)}`;
    expect(await codeOf(identity.refresh(forged, meta))).toMatch(/^UNAUTHENTICATED/);
    expect(await codeOf(identity.refresh('garbage', meta))).toMatch(/^UNAUTHENTICATED/);
    expect(await codeOf(identity.refresh(`${randomUUID()}.${refreshToken.split('.')[1]}`, meta))).toMatch(
      /^UNAUTHENTICATED/,
    );
    expect(await test.store.readStream(userStream(user.id))).toHaveLength(before.length);
  });

  it('erase: by the user or an admin only, never the admin; closes the account, shreds its key, frees its address', async () => {
    const [claim] = await test.store.readStream(FIRST_ADMIN_STREAM);
    const adminActor = { id: String(claim!.data.userId), role: 'admin' as const };
    const { user, refreshToken } = await identity.register(input('leaving@example.com'), meta);
    const other = await identity.register(input('bystander@example.com'), meta);

    expect(await codeOf(identity.erase(user.id, { id: other.user.id, role: 'member' }, meta))).toMatch(/^FORBIDDEN/);
    expect(await codeOf(identity.erase(adminActor.id, adminActor, meta))).toMatch(/^FORBIDDEN: the admin account/);
    expect(await codeOf(identity.erase(randomUUID(), adminActor, meta))).toMatch(/^NOT_FOUND/);
    expect(shredded).toEqual([]);

    const erased = await identity.erase(user.id, { id: user.id, role: 'member' }, meta);
    expect(erased).toMatchObject({ userId: user.id, role: 'member', erasedAt: new Date(clock).toISOString() });
    expect(erased.position).toBeDefined();
    expect(shredded).toEqual([`user:${user.id}`]);
    const last = (await test.store.readStream(userStream(user.id))).at(-1)!;
    expect(last).toMatchObject({ type: 'UserErased', data: { userId: user.id, erasedBy: user.id } });
    expect(last.metadata.userId).toBe(user.id);

    // Again: nothing appended, the key shredded again (a failed shred is finished by calling again).
    const again = await identity.erase(user.id, adminActor, meta);
    expect(again.position).toBeUndefined();
    expect(shredded).toHaveLength(2);

    expect(await codeOf(identity.login({ email: 'leaving@example.com', password: 'correct horse' }, meta))).toBe(
      `UNAUTHENTICATED: ${INVALID_CREDENTIALS}`,
    );
    expect(await codeOf(identity.refresh(refreshToken, meta))).toBe(`UNAUTHENTICATED: ${INVALID_REFRESH_TOKEN}`);
    // The address is free again once the reservation is past the grace period of an abandoned one.
    clock += CLAIM_GRACE_MS;
    const back = await identity.register(input('leaving@example.com'), meta);
    expect(back.user.id).not.toBe(user.id);
    expect((await identity.login({ email: 'leaving@example.com', password: 'correct horse' }, meta)).user.id).toBe(back.user.id);
  });

  it('a reservation whose registration died is taken over only after the grace period', async () => {
    const email = 'orphan@example.com';
    const ghost = randomUUID();
    await test.store.append(
      emailStreamOf(email),
      [{ type: 'EmailReserved', data: { email, userId: ghost, reservedAt: new Date(clock).toISOString() } }],
      'no_stream',
    );
    expect(await codeOf(identity.register(input(email), meta))).toMatch(/^CONFLICT/);
    clock += CLAIM_GRACE_MS;
    const { user } = await identity.register(input(email), meta);
    expect(user.id).not.toBe(ghost);
    expect((await identity.login({ email, password: 'correct horse' }, meta)).user.id).toBe(user.id);
  });
});
