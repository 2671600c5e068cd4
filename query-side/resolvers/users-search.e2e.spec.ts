import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { USER_FIELDS, register, type Session } from './identity.testing.ts';

const USERS = `query($search: String, $limit: Int) { users(search: $search, limit: $limit) { ${USER_FIELDS} } }`;

describe('users(search, limit): an admin finding a user', () => {
  let app: TestApp;
  let admin: Session;
  let member: Session;

  beforeAll(async () => {
    app = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    admin = await register(app, 'ada@example.com', 'Ada Admin');
    member = await register(app, 'bob@example.com', 'Bob Builder');
    await register(app, 'carol@example.com', '100% Carol');
    await register(app, 'dave_x@example.com');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const emailsFound = async (variables: Record<string, unknown>) => {
    const result = await app.gql<{ users: Session['user'][] }>(USERS, variables, admin.accessToken);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data!.users.map((user) => user.email);
  };

  it('matches a substring of the email or the display name in any case, ordered by email', async () => {
    expect(await emailsFound({ search: 'BUILD' })).toEqual(['bob@example.com']);
    expect(await emailsFound({ search: 'Example.COM' })).toEqual([
      'ada@example.com',
      'bob@example.com',
      'carol@example.com',
      'dave_x@example.com',
    ]);
    expect(await emailsFound({ search: '  ada ' })).toEqual(['ada@example.com']);
    expect(await emailsFound({ search: 'nobody' })).toEqual([]);
  });

  it('answers the whole user with its role', async () => {
    const result = await app.gql<{ users: Session['user'][] }>(USERS, { search: 'bob' }, admin.accessToken);
    expect(result.data!.users).toEqual([member.user]);
  });

  it('takes LIKE wildcards in the search literally', async () => {
    expect(await emailsFound({ search: '%' })).toEqual(['carol@example.com']);
    expect(await emailsFound({ search: '_' })).toEqual(['dave_x@example.com']);
    expect(await emailsFound({ search: '\\' })).toEqual([]);
  });

  it('without a search lists everyone, up to the limit', async () => {
    expect(await emailsFound({})).toHaveLength(4);
    expect(await emailsFound({ search: '', limit: 2 })).toEqual(['ada@example.com', 'bob@example.com']);
  });

  it('is for admins only; a bad limit or an overlong search is BAD_USER_INPUT', async () => {
    expect((await app.gql(USERS, {}, member.accessToken)).codes).toEqual(['FORBIDDEN']);
    expect((await app.gql(USERS, {})).codes).toEqual(['UNAUTHENTICATED']);
    for (const limit of [0, 101, -1]) {
      expect((await app.gql(USERS, { limit }, admin.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
    }
    expect((await app.gql(USERS, { search: 'x'.repeat(255) }, admin.accessToken)).codes).toEqual(['BAD_USER_INPUT']);
  });
});
