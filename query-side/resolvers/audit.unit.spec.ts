import { describe, expect, it } from 'vitest';
import { redactSecrets } from './audit.ts';

describe('audit trail redaction', () => {
  it('replaces password and token hashes at any depth and keeps everything else', () => {
    const data = {
      userId: 'u1',
      passwordHash: '$argon2id$…',
      tokenHash: 'abc',
      previousTokenHash: 'def',
      nested: [{ presentedTokenHash: 'ghi', promptTokens: 12, sha256: 'f'.repeat(64) }],
      refreshToken: 'u1.secret',
    };
    expect(redactSecrets(data)).toEqual({
      userId: 'u1',
      passwordHash: '[redacted]',
      tokenHash: '[redacted]',
      previousTokenHash: '[redacted]',
      nested: [{ presentedTokenHash: '[redacted]', promptTokens: 12, sha256: 'f'.repeat(64) }],
      refreshToken: '[redacted]',
    });
  });
});
