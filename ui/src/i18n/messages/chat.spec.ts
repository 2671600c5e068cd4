import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FINISHED_STATUSES } from '../../composables/chat-turn';
import { chat } from './chat';

/** Every leaf's dotted path, to compare the languages' shapes. */
const keysOf = (value: object, prefix = ''): string[] =>
  Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'object' && inner !== null ? keysOf(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );

// The chat's components: every literal t('chat.…') key they use must exist.
const SOURCES = [
  'pages/ChatPage.vue',
  'components/AnswerMarkdown.vue',
  'components/ChatCitationPanel.vue',
  'components/ChatComposer.vue',
  'components/ChatConversationList.vue',
  'components/ChatTurn.vue',
  'components/TurnCost.vue',
  'components/TurnProblem.vue',
  'components/TurnRating.vue',
];

describe('chat messages', () => {
  it('have the same keys in English and Chinese, none empty', () => {
    expect(keysOf(chat.zh).sort()).toEqual(keysOf(chat.en).sort());
    for (const language of [chat.en, chat.zh]) {
      for (const key of keysOf(language)) expect(key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], language)).not.toBe('');
    }
  });

  it('are in Chinese in Chinese', () => {
    for (const key of keysOf(chat.zh)) {
      const text = key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], chat.zh) as string;
      expect(text, key).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('name every status a turn can have and announce every end', () => {
    for (const status of ['reserving', 'retrieving', 'generating', ...FINISHED_STATUSES]) expect(chat.en.status).toHaveProperty(status);
    for (const status of FINISHED_STATUSES) expect(chat.en.announce).toHaveProperty(status);
  });

  it('hold every key the chat components use', () => {
    const known = new Set(keysOf(chat.en).map((key) => `chat.${key}`));
    for (const source of SOURCES) {
      const text = readFileSync(fileURLToPath(new URL(`../../${source}`, import.meta.url)), 'utf8');
      for (const [, key] of text.matchAll(/\bte?\('(chat\.[\w.]+)'/g)) expect(known, `${source}: ${key}`).toContain(key);
    }
  });
});
