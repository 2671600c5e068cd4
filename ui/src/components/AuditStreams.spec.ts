import { describe, expect, it } from 'vitest';
import { prettyJson, streamOf, targetOf } from './AuditStreams';

describe('audit streams', () => {
  it('names the stream of each kind, and reads it back', () => {
    for (const kind of ['conversation', 'wallet', 'document', 'turn'] as const) {
      const stream = streamOf({ kind, id: ' abc-1 ' });
      expect(stream).toBe(`${kind}-abc-1`);
      expect(targetOf(stream)).toEqual({ kind, id: 'abc-1' });
    }
  });

  it('keeps any other stream name whole', () => {
    expect(targetOf('kb-9')).toEqual({ kind: 'stream', id: 'kb-9' });
    expect(targetOf('wallet-')).toEqual({ kind: 'stream', id: 'wallet-' });
    expect(streamOf({ kind: 'stream', id: 'user-7' })).toBe('user-7');
  });

  it('indents JSON and leaves anything else alone', () => {
    expect(prettyJson('{"a":1,"b":[true]}')).toBe('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
    expect(prettyJson('not json')).toBe('not json');
  });
});
