import { describe, expect, it } from 'vitest';
import { chooseSource, parseAuditArgs } from './audit-args.ts';

const embedded = { HOST: '0.0.0.0', PORT: 4000, EVENTSTORE_URL: undefined };
const onPostgres = { ...embedded, EVENTSTORE_URL: 'postgresql://127.0.0.1:5432/ka' };

describe('where npm run audit reads the log', () => {
  it('reads an embedded system through its running server on this machine, never its files, unless told --direct', () => {
    expect(chooseSource({ direct: false }, { AUDIT_TOKEN: 't' }, embedded)).toEqual({
      kind: 'server',
      url: 'http://127.0.0.1:4000',
      credentials: { token: 't' },
    });
    expect(chooseSource({ direct: false }, {}, { ...embedded, HOST: '10.0.0.5', PORT: 8080 })).toMatchObject({ url: 'http://10.0.0.5:8080', credentials: undefined });
    expect(chooseSource({ direct: true }, { AUDIT_TOKEN: 't' }, embedded)).toEqual({ kind: 'direct' });
  });

  it('reads a server event store directly, unless a server is named', () => {
    expect(chooseSource({ direct: false }, {}, onPostgres)).toEqual({ kind: 'direct' });
    expect(chooseSource({ direct: false, server: 'https://ka.example' }, { AUDIT_EMAIL: 'a@b.c', AUDIT_PASSWORD: 'pw' }, onPostgres)).toEqual({
      kind: 'server',
      url: 'https://ka.example',
      credentials: { email: 'a@b.c', password: 'pw' },
    });
    expect(chooseSource({ direct: false }, { AUDIT_SERVER: 'https://ka.example', AUDIT_TOKEN: 't', AUDIT_EMAIL: 'a@b.c', AUDIT_PASSWORD: 'pw' }, onPostgres)).toEqual({
      kind: 'server',
      url: 'https://ka.example',
      credentials: { token: 't' },
    });
  });
});

describe('the audit command line', () => {
  it('takes a turn, a document, or a wallet with an optional position or time', () => {
    expect(parseAuditArgs(['turn', 't1'])).toEqual({ command: { kind: 'turn', id: 't1' }, direct: false });
    expect(parseAuditArgs(['document', 'd1', '--direct'])).toEqual({ command: { kind: 'document', id: 'd1' }, direct: true });
    expect(parseAuditArgs(['wallet', 'u1', '--at', '12-3'])).toMatchObject({ command: { kind: 'wallet', id: 'u1', bound: { position: '12-3' } } });
    expect(parseAuditArgs(['wallet', 'u1', '--at', '2030-01-01T00:00:00Z', '--server', 'http://x'])).toEqual({
      command: { kind: 'wallet', id: 'u1', bound: { at: '2030-01-01T00:00:00Z' } },
      server: 'http://x',
      direct: false,
    });
    expect(parseAuditArgs(['wallet', 'u1'])).toMatchObject({ command: { bound: undefined } });
  });

  it('says what is wrong with anything else', () => {
    const errorOf = (argv: string[]) => (parseAuditArgs(argv) as { error?: string }).error;
    expect(errorOf([])).toBe('name what to audit and its id');
    expect(errorOf(['turn'])).toBe('name what to audit and its id');
    expect(errorOf(['conversation', 'c1'])).toBe('cannot audit "conversation": turn, wallet or document');
    expect(errorOf(['turn', 't1', '--at', '12-3'])).toBe('--at applies to a wallet');
    expect(errorOf(['wallet', 'u1', '--at', 'yesterday'])).toMatch(/neither a log position .* nor an ISO 8601 time/);
    expect(errorOf(['wallet', 'u1', '--at'])).toBe('--at needs a value');
    expect(errorOf(['turn', 't1', '--direct', '--server', 'http://x'])).toBe('--direct and --server exclude each other');
    expect(errorOf(['turn', 't1', '--token', 'x'])).toBe('unknown option --token');
  });
});
