import { describe, expect, it } from 'vitest';
import { AUDIT_KINDS } from '../../components/AuditStreams';
import { audit } from './audit';

const keysOf = (value: object, prefix = ''): string[] =>
  Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'object' && inner !== null ? keysOf(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );

describe('audit messages', () => {
  it('have the same keys in English and Chinese', () => {
    expect(keysOf(audit.zh).sort()).toEqual(keysOf(audit.en).sort());
  });

  it('name every kind of stream and its id', () => {
    for (const kind of AUDIT_KINDS) {
      expect(audit.en.kind).toHaveProperty(kind);
      expect(audit.en.id).toHaveProperty(kind);
    }
  });
});
