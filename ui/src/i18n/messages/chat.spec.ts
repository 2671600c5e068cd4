// Both languages and every key used: messages.spec.ts.
import { describe, expect, it } from 'vitest';
import { FINISHED_STATUSES } from '../../composables/chat-turn';
import { chat } from './chat';

describe('chat messages', () => {
  it('name every status a turn can have and announce every end', () => {
    for (const status of ['reserving', 'retrieving', 'generating', ...FINISHED_STATUSES]) expect(chat.en.status).toHaveProperty(status);
    for (const status of FINISHED_STATUSES) expect(chat.en.announce).toHaveProperty(status);
  });
});
