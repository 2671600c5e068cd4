import { describe, expect, it } from 'vitest';
import { joinWrappedCjkLines } from './cjk-line-wraps.ts';
import { markdownToBlocks } from './markdown-blocks.ts';
import { parseInProcess } from './parse-in-process.ts';
import { DEFAULT_PARSE_LIMITS } from './index.ts';
import { buildPdf } from './testing/pdf-builder.ts';

describe('lines that wrapped inside Chinese text', () => {
  it('join without a space in a PDF, so excerpts quote the text as written', async () => {
    const page = ['Debian 手册', '知识库保存手册并回答问题非', '常多，解压后使', '用。', '下一句在这里', 'English line one', 'and two'];
    const parsed = await parseInProcess(buildPdf([{ text: page.join('\n') }]), {
      mediaType: 'application/pdf',
      limits: DEFAULT_PARSE_LIMITS,
    });
    expect(parsed.blocks.map((block) => block.text)).toEqual([
      'Debian 手册\n知识库保存手册并回答问题非常多，解压后使用。\n下一句在这里\nEnglish line one\nand two',
    ]);
  });

  it('keep a short line (a heading, a list item) and a sentence end on their own lines', () => {
    expect(joinWrappedCjkLines('安装\n本章介绍如何安装系统的全部软件包')).toBe('安装\n本章介绍如何安装系统的全部软件包');
    expect(joinWrappedCjkLines('这一句已经结束了。\n下一句')).toBe('这一句已经结束了。\n下一句');
    expect(joinWrappedCjkLines('한국어는 단어를\n띄어 씁니다')).toBe('한국어는 단어를\n띄어 씁니다');
    expect(joinWrappedCjkLines('段落一的内容\n\n段落二')).toBe('段落一的内容\n\n段落二');
    expect(joinWrappedCjkLines('日本語の文章が\n続きます')).toBe('日本語の文章が続きます');
  });

  it('join without a space at a Markdown soft break, and with one between English words', () => {
    const blocks = markdownToBlocks('# 安装\n\n解压后使\n用这个软件包，\n然后 run\nthe installer.\n\n- 列表项的内容很\n  长');
    expect(blocks.map((block) => block.text)).toEqual(['安装', '解压后使用这个软件包，然后 run\nthe installer.', '列表项的内容很长']);
  });
});
