import { describe, expect, it } from 'vitest';
import { failureCodeOfV1Reason } from '../../../contracts/document-failures.ts';
import { PARSE_FAILURE_REASONS, ParseFailure } from './types.ts';

describe('parse failures', () => {
  it('are recorded with the code the upcaster gives the same sentence in an old event', () => {
    for (const reason of PARSE_FAILURE_REASONS) {
      const code = new ParseFailure(reason).code;
      expect(code, reason).not.toBe('UNKNOWN');
      expect(code, reason).toBe(failureCodeOfV1Reason(reason));
    }
  });
});
