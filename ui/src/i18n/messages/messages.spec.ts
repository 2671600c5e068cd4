/**
 * Every language holds every message, and the components show no text of their own: English and Chinese have the
 * same keys (none empty, the Chinese ones in Chinese), every literal t('…') key of every component exists, and no
 * template has words outside {{ }} or bound attributes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { common } from './common';
import { pageMessages } from './pages';

const SRC = fileURLToPath(new URL('../../', import.meta.url));
const en = { ...common.en, ...pageMessages.en };
const zh = { ...common.zh, ...pageMessages.zh };

/** Every leaf as [dotted key, text]. */
const leaves = (value: unknown, prefix = ''): Array<[string, unknown]> =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([key, inner]) => leaves(inner, prefix ? `${prefix}.${key}` : key))
    : [[prefix, value]];

const sources = (extension: string) =>
  readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension) && !file.includes('generated') && !file.endsWith('.spec.ts'))
    .map((file) => ({ file, text: readFileSync(path.join(SRC, file), 'utf8') }));

describe('the messages', () => {
  it('have the same keys in English and Chinese, none empty, the Chinese ones in Chinese', () => {
    const english = leaves(en);
    const chinese = leaves(zh);
    expect(chinese.map(([key]) => key).sort()).toEqual(english.map(([key]) => key).sort());
    for (const [key, text] of [...english, ...chinese]) expect(typeof text === 'string' && text.trim(), key).toBeTruthy();
    for (const [key, text] of chinese) expect(text, key).toMatch(/[\u4e00-\u9fff]|^[\s\d\W]*$/);
  });

  it('hold every key a component or composable names', () => {
    const known = new Set(leaves(en).map(([key]) => key));
    const files = [...sources('.vue'), ...sources('.ts')];
    expect(files.length).toBeGreaterThan(20);
    for (const { file, text } of files) {
      for (const [, key] of text.matchAll(/\bte?\(\s*'([a-zA-Z]+\.[\w.]+)'/g)) expect(known, `${file}: ${key}`).toContain(key);
    }
  });

  it('are the only words in the templates', () => {
    for (const { file, text } of sources('.vue')) {
      const template = /<template>([\s\S]*)<\/template>/.exec(text)?.[1] ?? '';
      const outside = template
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(/\{\{[\s\S]*?\}\}/g, '')
        .replace(/<(?:[^>"']|"[^"]*"|'[^']*')*>/g, (tag) =>
          // Unbound attributes that people read or hear.
          [...tag.matchAll(/\s(?:placeholder|title|aria-label|alt|label)="([^"]*)"/g)].map(([, value]) => ` ${value} `).join(''),
        );
      const words = outside.match(/[A-Za-z\u4e00-\u9fff]{2,}/g) ?? [];
      expect(words, file).toEqual([]);
    }
  });
});
