import { describe, expect, it } from 'vitest';
import { HTTP_STATUS_OF, httpStatusOf, isDomainError } from '../../contracts/errors.ts';
import { assertWithinQuota, quotaExceeded } from './quotas.ts';

describe('quotas', () => {
  it('0 means no limit', () => {
    expect(() => assertWithinQuota('bytesStored', 0, Number.MAX_SAFE_INTEGER, 1)).not.toThrow();
  });

  it('refuses what would go over the limit, not what reaches it', () => {
    expect(() => assertWithinQuota('knowledgeBases', 3, 2)).not.toThrow();
    expect(() => assertWithinQuota('knowledgeBases', 3, 3)).toThrow(/you own 3 knowledge bases and the limit .* is 3/);
    expect(() => assertWithinQuota('bytesStored', 100, 60, 40)).not.toThrow();
    expect(() => assertWithinQuota('bytesStored', 100, 60, 41)).toThrow(/60 bytes.*bytes stored of 100/);
  });

  it('in flight frees itself: 429; bytes stored and knowledge bases need a change: 403', () => {
    const status = (error: unknown) => (isDomainError(error) ? httpStatusOf(error) : undefined);
    expect(status(quotaExceeded('documentsInFlight', 2, 2))).toBe(429);
    expect(status(quotaExceeded('bytesStored', 2, 2))).toBe(403);
    expect(status(quotaExceeded('knowledgeBases', 2, 2))).toBe(403);
    expect(HTTP_STATUS_OF.QUOTA_EXCEEDED).toBe(429);
  });
});
