/**
 * An FAQ-shaped document (a title, then eight questions with two or three answer paragraphs each) in English and in
 * Chinese, written out the ways people write FAQs in each format we read, and the blocks every one must give.
 */
import type { Block } from '../types.ts';
import { buildDocx } from './zip-builder.ts';

export interface Faq {
  title: string;
  entries: { question: string; answers: string[] }[];
}

export const FAQ_EN: Faq = {
  title: 'Help Centre FAQ',
  entries: [
    {
      question: 'How do I reset my password?',
      answers: ['Open the sign-in page and choose "Forgot password".', 'We email you a link that works for one hour.'],
    },
    {
      question: 'Can I change the email address on my account?',
      answers: ['Yes, under Settings > Profile.', 'The new address must be confirmed before it is used.', 'Your old address gets a notice of the change.'],
    },
    {
      question: 'Which file types can I upload?',
      answers: ['PDF, DOCX, Markdown, HTML and plain text.', 'Scanned PDFs without a text layer are refused.'],
    },
    {
      question: 'How large may a document be?',
      answers: ['Up to 50 MB & 2,000 pages.', 'Larger files are refused with a message saying why.'],
    },
    {
      question: 'Why was my answer not found?',
      answers: ['The document may still be processing.', 'Search looks for the words of your question; try the terms the document uses.', 'Headings are searched too.'],
    },
    {
      question: 'How are tokens billed?',
      answers: ['Each answer is paid from your prepaid wallet.', 'Prompt and completion tokens have separate prices.'],
    },
    {
      question: 'Can several people share a knowledge base?',
      answers: ['Yes: invite them from the knowledge base page.', 'Everyone sees the same documents and citations.'],
    },
    {
      question: 'How do I delete a document?',
      answers: ['Choose Delete on the document page.', 'It disappears from search at once.', 'Its file is removed once no other document uses the same bytes.'],
    },
  ],
};

export const FAQ_ZH: Faq = {
  title: '帮助中心常见问题',
  entries: [
    { question: '如何重置密码？', answers: ['打开登录页面，选择“忘记密码”。', '我们会发送一封邮件，其中的链接一小时内有效。'] },
    {
      question: '可以修改账户的邮箱地址吗？',
      answers: ['可以，在“设置 > 个人资料”中修改。', '新地址确认后才会生效。', '旧地址会收到变更通知。'],
    },
    { question: '可以上传哪些文件类型？', answers: ['PDF、DOCX、Markdown、HTML 和纯文本。', '没有文字层的扫描版 PDF 会被拒绝。'] },
    { question: '文档最大可以多大？', answers: ['最大 50 MB & 2000 页。', '超出限制的文件会被拒绝，并说明原因。'] },
    {
      question: '为什么没有找到答案？',
      answers: ['文档可能仍在处理中。', '搜索会查找问题中的词语，请尝试使用文档中的说法。', '标题同样会被搜索。'],
    },
    { question: '令牌如何计费？', answers: ['每次回答都从预付钱包中扣费。', '提示令牌和生成令牌分别计价。'] },
    { question: '多人可以共享一个知识库吗？', answers: ['可以，在知识库页面邀请他们。', '所有人看到相同的文档和引用。'] },
    {
      question: '如何删除文档？',
      answers: ['在文档页面选择“删除”。', '文档会立即从搜索结果中消失。', '当没有其他文档使用相同内容时，文件才会被删除。'],
    },
  ],
};

/** Title at level 1, each question a level-2 heading, each answer a paragraph. */
export const faqBlocks = (faq: Faq): Block[] => [
  { kind: 'heading', text: faq.title, level: 1 },
  ...faq.entries.flatMap(({ question, answers }): Block[] => [
    { kind: 'heading', text: question, level: 2 },
    ...answers.map((text): Block => ({ kind: 'paragraph', text })),
  ]),
];

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const faqMarkdown = {
  atx: (faq: Faq) =>
    [`# ${faq.title}`, ...faq.entries.flatMap((e) => [`## ${e.question}`, ...e.answers])].join('\n\n'),
  setext: (faq: Faq) =>
    [
      `${faq.title}\n${'='.repeat(8)}`,
      ...faq.entries.flatMap((e) => [`${e.question}\n${'-'.repeat(8)}`, ...e.answers]),
    ].join('\n\n'),
  /** Questions in <details><summary>, answers in Markdown between the HTML lines (GitHub's collapsible FAQ). */
  details: (faq: Faq) =>
    [
      `# ${faq.title}`,
      ...faq.entries.flatMap((e) => [
        `<details>\n<summary>${escapeXml(e.question)}</summary>`,
        ...e.answers,
        '</details>',
      ]),
    ].join('\n\n'),
};

const page = (faq: Faq, body: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeXml(faq.title)}</title></head>` +
  `<body><h1>${escapeXml(faq.title)}</h1>\n${body}</body></html>`;
const paragraphs = (answers: string[]) => answers.map((a) => `<p>${escapeXml(a)}</p>`).join('\n');

export const faqHtml = {
  headings: (faq: Faq) =>
    page(faq, faq.entries.map((e) => `<h2>${escapeXml(e.question)}</h2>\n${paragraphs(e.answers)}`).join('\n')),
  definitionList: (faq: Faq) =>
    page(faq, `<dl>${faq.entries.map((e) => `<dt>${escapeXml(e.question)}</dt><dd>${paragraphs(e.answers)}</dd>`).join('\n')}</dl>`),
  details: (faq: Faq) =>
    page(
      faq,
      faq.entries.map((e) => `<details><summary>${escapeXml(e.question)}</summary>${paragraphs(e.answers)}</details>`).join('\n'),
    ),
};

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** Paragraph styles as word/styles.xml declares them: the id paragraphs refer to and the name mammoth matches. */
export interface DocxHeadingStyles {
  title: { id: string; name: string };
  question: { id: string; name: string };
}

export const DOCX_STYLES = {
  /** English Word: built-in heading styles. */
  english: { title: { id: 'Heading1', name: 'heading 1' }, question: { id: 'Heading2', name: 'heading 2' } },
  /** Chinese Word: the same built-in styles under ids made of the localized name's digits. */
  chinese: { title: { id: '1', name: 'heading 1' }, question: { id: '2', name: 'heading 2' } },
  /** The Title style, and a heading style named in Chinese. */
  titleAndChineseNames: { title: { id: 'a3', name: 'Title' }, question: { id: 'a5', name: '标题 2' } },
} satisfies Record<string, DocxHeadingStyles>;

export function faqDocx(faq: Faq, styles: DocxHeadingStyles): Uint8Array {
  const paragraph = (text: string, style?: string) =>
    `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t>${escapeXml(text)}</w:t></w:r></w:p>`;
  const document =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>` +
    paragraph(faq.title, styles.title.id) +
    faq.entries.map((e) => paragraph(e.question, styles.question.id) + e.answers.map((a) => paragraph(a)).join('')).join('') +
    '</w:body></w:document>';
  const styleXml =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="${W}">` +
    [styles.title, styles.question]
      .map(({ id, name }) => `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`)
      .join('') +
    '</w:styles>';
  return buildDocx({ data: document }, [{ name: 'word/styles.xml', data: styleXml }]);
}
