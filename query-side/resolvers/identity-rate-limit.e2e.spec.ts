import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../ops/testing/server.ts';
import { LOGIN, PASSWORD, REGISTER } from './identity.testing.ts';

const LIMIT = 3;
const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

// Counters in the real Redis (as several api instances share them).
describe('identity: login and register are rate limited per IP and per email', () => {
  let app: TestApp;

  beforeAll(async () => {
    // No signup grant: its deposits land asynchronously after a registration and would move the head under the check.
    app = await startTestApp({ redis: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: String(LIMIT), SIGNUP_GRANT: '0' } });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('login: one IP trying many emails is stopped', async () => {
    const codes: string[][] = [];
    for (let i = 0; i <= LIMIT; i++) {
      codes.push((await app.gql(LOGIN, { email: `ip${i}@example.com`, password: PASSWORD }, from('10.0.0.1'))).codes);
    }
    expect(codes.slice(0, LIMIT)).toEqual(Array(LIMIT).fill(['UNAUTHENTICATED']));
    expect(codes[LIMIT]).toEqual(['RATE_LIMITED']);
  });

  it('login: one email tried from many IPs is stopped', async () => {
    const codes: string[][] = [];
    for (let i = 0; i <= LIMIT; i++) {
      codes.push((await app.gql(LOGIN, { email: 'Target@example.com', password: 'guess' + i }, from(`10.0.1.${i}`))).codes);
    }
    expect(codes[LIMIT]).toEqual(['RATE_LIMITED']);
    // Any case or padding of the address counts against the same email.
    expect((await app.gql(LOGIN, { email: ' target@EXAMPLE.com', password: 'x' }, from('10.0.1.99'))).codes).toEqual([
      'RATE_LIMITED',
    ]);
  });

  it('register: over the limit is RATE_LIMITED and appends nothing', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const result = await app.gql(REGISTER, { email: `reg${i}@example.com`, password: PASSWORD }, from('10.0.2.1'));
      expect(result.errors).toBeUndefined();
    }
    const head = await app.app.eventStore.headPosition();
    const over = await app.gql(REGISTER, { email: 'reg-over@example.com', password: PASSWORD }, from('10.0.2.1'));
    expect(over.codes).toEqual(['RATE_LIMITED']);
    expect(await app.app.eventStore.headPosition()).toBe(head);
  });
});
