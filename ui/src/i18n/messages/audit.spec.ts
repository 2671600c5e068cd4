// Both languages and every key used: messages.spec.ts.
import { describe, expect, it } from 'vitest';
import { AUDIT_KINDS } from '../../components/AuditStreams';
import { audit } from './audit';

describe('audit messages', () => {
  it('name every kind of stream and its id', () => {
    for (const kind of AUDIT_KINDS) {
      expect(audit.en.kind).toHaveProperty(kind);
      expect(audit.en.id).toHaveProperty(kind);
    }
  });
});
