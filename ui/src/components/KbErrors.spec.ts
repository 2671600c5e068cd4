/** The kb.errors message a typed error reads as, with and without what is being done. */
import { describe, expect, it } from 'vitest';
import { knowledgeBases } from '../i18n/messages/knowledge-bases';
import { kbErrorKey } from './KbErrors';

const known = (key: string) => key in knowledgeBases.en.errors;

describe('kbErrorKey', () => {
  it('names the quota used up, the upload limit and an upload cut off', () => {
    expect(kbErrorKey({ code: 'QUOTA_EXCEEDED', message: '', quota: 'bytesStored', limit: 10 }, {}, known)).toBe('QUOTA_EXCEEDED_bytesStored');
    expect(kbErrorKey({ code: 'PAYLOAD_TOO_LARGE', message: '' }, {}, known)).toBe('PAYLOAD_TOO_LARGE_unknown');
    expect(kbErrorKey({ code: 'NETWORK', message: '' }, { upload: true }, known)).toBe('NETWORK_upload');
    expect(kbErrorKey({ code: 'NETWORK', message: '' }, {}, known)).toBe('NETWORK');
  });

  it('says what a refusal means for a passage or a Q&A pair, where the messages have words for it', () => {
    expect(kbErrorKey({ code: 'CONFLICT', message: 'the chunk belongs to an older revision' }, { subject: 'chunk' }, known)).toBe('CONFLICT_chunk');
    expect(kbErrorKey({ code: 'NOT_FOUND', message: 'no such chunk' }, { subject: 'chunk' }, known)).toBe('NOT_FOUND_chunk');
    expect(kbErrorKey({ code: 'BAD_USER_INPUT', message: '' }, { subject: 'chunk' }, known)).toBe('BAD_USER_INPUT_chunk');
    expect(kbErrorKey({ code: 'BAD_USER_INPUT', message: '' }, { subject: 'qa' }, known)).toBe('BAD_USER_INPUT_qa');
    // No special words: the shared ones (errors.FORBIDDEN) then.
    expect(kbErrorKey({ code: 'FORBIDDEN', message: '' }, { subject: 'chunk' }, known)).toBe('FORBIDDEN');
    expect(kbErrorKey({ code: 'CONFLICT', message: '' }, {}, known)).toBe('CONFLICT');
  });
});
