import { describe, expect, it } from 'vitest';
import { bearerApiKey, hashApiKey, newApiKeySecret } from './api-key-secrets.ts';

describe('api key secrets', () => {
  it('makes random secrets with a short displayable prefix and keeps only their sha256', () => {
    const a = newApiKeySecret();
    const b = newApiKeySecret();
    expect(a.secret).toMatch(/^ka_live_[A-Za-z0-9_-]{43}$/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.prefix).toBe(a.secret.slice(0, 12));
    expect(a.secretSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.secretSha256).toBe(hashApiKey(a.secret));
    expect(JSON.stringify({ prefix: a.prefix, secretSha256: a.secretSha256 })).not.toContain(a.secret.slice(12));
  });

  it('reads the key from a bearer header and refuses what is not shaped like one', () => {
    const { secret } = newApiKeySecret();
    expect(bearerApiKey(`Bearer ${secret}`)).toBe(secret);
    expect(bearerApiKey(`bearer   ${secret} `)).toBe(secret);
    for (const header of [undefined, '', secret, `Basic ${secret}`, `Bearer ${secret}x`, `Bearer ${secret.slice(0, -1)}`, 'Bearer eyJhbGciOi.x.y', `Bearer ${secret} extra`]) {
      expect(bearerApiKey(header), String(header)).toBeUndefined();
    }
  });
});
