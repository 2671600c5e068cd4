/** Plain text to blocks: paragraphs are separated by blank lines; line breaks inside a paragraph are kept. */
import type { Block } from './types.ts';

export function plainToBlocks(text: string, onText: (chars: number) => void = () => {}): Block[] {
  const blocks: Block[] = [];
  for (const part of text.replace(/\r\n?/g, '\n').split(/\n[ \t\f\v\u3000]*\n/)) {
    const paragraph = part
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .join('\n');
    if (paragraph === '') continue;
    onText(paragraph.length);
    blocks.push({ kind: 'paragraph', text: paragraph });
  }
  return blocks;
}
