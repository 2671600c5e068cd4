import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userStream } from '../../contracts/streams.ts';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import {
  CREATE_KB,
  KNOWLEDGE_BASES,
  LOGIN,
  ME,
  PASSWORD,
  REFRESH,
  REGISTER,
  auditTypes,
  register,
  type Session,
} from './identity.testing.ts';

describe('identity end to end', () => {
  let app: TestApp;
  let admin: Session;
  let member: Session;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    admin = await register(app, 'Ada@Example.com', 'Ada');
    member = await register(app, 'bob@example.com');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('the first user is an admin, the next a member; me answers with each', async () => {
    expect(admin.user).toMatchObject({ email: 'ada@example.com', displayName: 'Ada', role: 'admin' });
    expect(member.user).toMatchObject({ email: 'bob@example.com', displayName: null, role: 'member' });
    expect((await app.gql(ME, {}, admin.accessToken)).data).toEqual({ me: admin.user });
    expect((await app.gql(ME, {}, member.accessToken)).data).toEqual({ me: member.user });
    expect((await app.gql(ME)).data).toEqual({ me: null });
  });

  it('login gives a working session for any case of the email', async () => {
    const result = await app.gql<{ login: Session }>(LOGIN, { email: ' BOB@example.com', password: PASSWORD });
    expect(result.errors).toBeUndefined();
    const session = result.data!.login;
    expect(session.user).toEqual(member.user);
    expect((await app.gql(ME, {}, session.accessToken)).data).toEqual({ me: member.user });
  });

  it('refresh rotates; reusing an old refresh token revokes the whole family', async () => {
    const login = (await app.gql<{ login: Session }>(LOGIN, { email: 'ada@example.com', password: PASSWORD })).data!.login;
    const second = await app.gql<{ refreshToken: Session }>(REFRESH, { refreshToken: login.refreshToken });
    expect(second.errors).toBeUndefined();
    const rotated = second.data!.refreshToken;
    expect(rotated.refreshToken).not.toBe(login.refreshToken);
    expect((await app.gql(ME, {}, rotated.accessToken)).data).toEqual({ me: admin.user });

    const reuse = await app.gql(REFRESH, { refreshToken: login.refreshToken });
    expect(reuse.codes).toEqual(['UNAUTHENTICATED']);
    // The thief's copy and the rightful holder's latest token die together.
    expect((await app.gql(REFRESH, { refreshToken: rotated.refreshToken })).codes).toEqual(['UNAUTHENTICATED']);
    // Sessions of other families (registration's) live on.
    expect((await app.gql(REFRESH, { refreshToken: admin.refreshToken })).errors).toBeUndefined();

    const types = await auditTypes(app, admin.accessToken, userStream(admin.user.id));
    expect(types).toEqual(expect.arrayContaining(['UserRegistered', 'RefreshTokenIssued', 'RefreshTokenRotated', 'RefreshTokenFamilyRevoked']));
  });

  it('concurrent registrations of one email give exactly one user; the others get CONFLICT', async () => {
    const email = 'race@example.com';
    const results = await Promise.all(
      Array.from({ length: 6 }, () => app.gql(REGISTER, { email, password: PASSWORD })),
    );
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(results.flatMap((r) => r.codes).sort()).toEqual(Array(5).fill('CONFLICT'));
    const users = await app.app.eventStore.readAll({ filter: { eventTypes: ['UserRegistered'] } });
    expect(users.filter((e) => e.data.email === email)).toHaveLength(1);
    expect((await app.gql(LOGIN, { email, password: PASSWORD })).errors).toBeUndefined();
  });

  it('a restart on the same DATA_DIR keeps users, sessions and knowledge bases', async () => {
    const kb = await app.gql<{ createKnowledgeBase: { id: string } }>(CREATE_KB, { name: 'Before restart' }, member.accessToken);
    expect(kb.errors).toBeUndefined();
    const session = (await app.gql<{ login: Session }>(LOGIN, { email: 'bob@example.com', password: PASSWORD })).data!.login;

    await app.restart();

    expect((await app.gql(ME, {}, session.accessToken)).data).toEqual({ me: member.user });
    const refreshed = await app.gql<{ refreshToken: Session }>(REFRESH, { refreshToken: session.refreshToken });
    expect(refreshed.errors).toBeUndefined();
    expect((await app.gql(LOGIN, { email: 'bob@example.com', password: PASSWORD })).errors).toBeUndefined();
    const list = await app.gql<{ knowledgeBases: Array<{ id: string }> }>(KNOWLEDGE_BASES, {}, member.accessToken);
    expect(list.data!.knowledgeBases.map((k) => k.id)).toContain(kb.data!.createKnowledgeBase.id);
    // A new registration after the restart is a member: the first-admin claim survived.
    expect((await register(app, 'carol@example.com')).user.role).toBe('member');
  });
});
