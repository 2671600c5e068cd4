/**
 * Support FAQs for the heading-search tests (test code only): a title, then eight questions as headings, each
 * answered in two or three paragraphs, in English and Chinese, written out as Markdown, HTML and DOCX. The
 * questions share words with each other and with other answers (account, subscription, change, 账户, 订阅 …), and
 * their key words are mostly in the heading only, as in real FAQs: found only if headings are searchable.
 * (The DOCX package itself is zipped by the spec: the query side may not import command-side test builders.)
 */
export interface Faq {
  title: string;
  entries: Array<{ question: string; answer: string[] }>;
}

export const ENGLISH_FAQ: Faq = {
  title: 'Help center: frequently asked questions',
  entries: [
    {
      question: 'How do I reset my password?',
      answer: [
        'On the sign-in page, choose "Forgot it?" and enter the email address you registered with. We send a link that stays valid for 30 minutes; open it on the same device and pick a new passphrase of at least 12 characters.',
        'If no message arrives within five minutes, look in your spam folder and make sure the address matches the one on your profile. People who sign in through Google or Microsoft have no separate passphrase with us: use that provider instead.',
        'For your security, this signs you out of every other device and revokes app tokens, so the desktop sync client will ask you to sign in again.',
      ],
    },
    {
      question: 'How do I change the email address on my account?',
      answer: [
        'Open Settings > Profile, select "Edit" next to your login address and type the new one. We send a confirmation link to the new address; nothing happens until you click it, and the old address receives a notice so that nobody can switch it silently.',
        'Invoices, shared folder invitations and security alerts go to the new address from then on. If you can no longer open the old mailbox, write to support from the new one with your last invoice number so we can verify that the workspace is yours.',
      ],
    },
    {
      question: 'How do I cancel my subscription?',
      answer: [
        'Owners end a paid plan under Billing > Plan by choosing "Downgrade to Free". Paid features stay active until the end of the current billing period, and you will not be charged again.',
        'Files above the free 5 GB quota are not deleted: they become read-only for 90 days, which gives you time to download them or to pick a paid plan again. Ending the plan does not close the account itself; see the question about exporting your data for that.',
      ],
    },
    {
      question: 'How do I change my subscription plan?',
      answer: [
        'In Billing > Plan pick the tier that fits, for example moving from Personal to Team, and confirm. Upgrades apply immediately, and we charge only the prorated difference for the days left in the current period.',
        'Downgrades take effect at the next renewal date, so you keep the larger storage quota until then. Switching between monthly and yearly billing works the same way; yearly billing saves two months of fees.',
      ],
    },
    {
      question: 'Why was my card declined?',
      answer: [
        'Most declines come from the bank rather than from us: an expired card, a billing postcode that does not match, or a bank that blocks online payments to foreign merchants. The message on the payment page includes the reason code the bank returned.',
        'Update the payment method under Billing > Payment methods and retry the charge from the latest unpaid invoice. If the bank approves it and it still fails, wait an hour before the next attempt: repeated attempts can trigger the fraud protection of your bank.',
      ],
    },
    {
      question: 'Can I get a refund for my subscription?',
      answer: [
        'Yearly plans are paid back in full within 14 days of purchase or renewal; after that we return the unused whole months. Monthly plans are not paid back, but you can downgrade at any time so that no further charge happens.',
        'Ask for it under Billing > Invoices by selecting the invoice and "Request a reimbursement". The money goes back to the original payment method within 5 to 10 business days, depending on your bank.',
      ],
    },
    {
      question: 'How do I export my data before deleting my account?',
      answer: [
        'Go to Settings > Privacy and choose "Download everything". We prepare a ZIP archive with your files, folder structure, version history and sharing settings, and email you a link once it is ready, usually within an hour.',
        'The link works for seven days. Large libraries are split into several archives of at most 50 GB each. Keep the archive until you have checked it: once the workspace is closed, we cannot restore anything.',
      ],
    },
    {
      question: 'How do I add a team member to my account?',
      answer: [
        'On Team plans an owner or admin opens Admin > Members and selects "Invite". Enter one or more email addresses and pick a role: member, admin or read-only guest. Invitations expire after 14 days.',
        'Every accepted invitation takes a seat, billed from the day it is accepted. Removing someone frees the seat at once, and the files they owned are transferred to the owner of the workspace.',
      ],
    },
  ],
};

export const CHINESE_FAQ: Faq = {
  title: '云盘帮助中心：常见问题',
  entries: [
    {
      question: '如何重置登录密码？',
      answer: [
        '在登录页面点击“忘记了？”，输入注册时使用的邮箱地址。我们会发送一封带链接的邮件，链接在三十分钟内有效，请在同一台设备上打开，并设置至少十二位的新口令。',
        '如果五分钟内没有收到邮件，请检查垃圾邮件文件夹，并确认填写的地址与个人资料中的一致。通过企业微信或钉钉登录的用户在我们这里没有单独的口令，请直接使用对应的方式登录。',
        '出于安全考虑，完成后其他设备上的会话都会退出，应用令牌也会失效，桌面同步客户端需要重新登录。',
      ],
    },
    {
      question: '如何更改账户绑定的邮箱？',
      answer: [
        '打开“设置 > 个人资料”，点击登录地址旁的“编辑”，输入新的地址。系统会向新地址发送确认链接，点击之后才会生效；原地址也会收到通知，防止他人悄悄改动。',
        '此后发票、共享文件夹邀请和安全提醒都会发往新地址。如果已经无法登录原来的邮箱，请用新地址联系客服，并提供最近一张发票的编号，以便核实空间归属。',
      ],
    },
    {
      question: '如何取消订阅？',
      answer: [
        '所有者可以在“账单 > 套餐”中选择“降级为免费版”来结束付费套餐。付费功能会保留到当前计费周期结束，之后不会再扣费。',
        '超出免费五GB配额的文件不会被删除，而是在九十天内变为只读，方便你下载或重新购买付费套餐。结束付费并不会注销账户本身，注销前请参见关于导出数据的问题。',
      ],
    },
    {
      question: '如何更改订阅套餐？',
      answer: [
        '在“账单 > 套餐”中选择合适的档位，例如从个人版升级到团队版，然后确认。升级立即生效，我们只按当前周期剩余的天数收取差价。',
        '降级在下一个续费日生效，在此之前仍可使用更大的存储空间。在按月付费和按年付费之间切换也是同样的操作，按年付费可以节省两个月的费用。',
      ],
    },
    {
      question: '为什么我的银行卡付款被拒绝？',
      answer: [
        '大多数情况来自发卡行而不是我们：卡片已过期、账单地址的邮编不一致，或者银行限制向境外商户在线支付。支付页面上的提示包含银行返回的原因代码。',
        '请在“账单 > 支付方式”中更新信息，然后在最近一张未付发票上重新发起扣款。如果银行已经批准仍然失败，请等待一小时再试，频繁尝试可能触发银行的风控。',
      ],
    },
    {
      question: '订阅费用可以退款吗？',
      answer: [
        '年付套餐在购买或续费后十四天内可以全额退还；超过十四天的，我们退还尚未使用的整月费用。月付套餐不予退还，但你可以随时降级，之后不会再产生费用。',
        '在“账单 > 发票”中选中对应的发票，点击“申请退还”即可。钱款会在五到十个工作日内原路返回，具体时间取决于你的银行。',
      ],
    },
    {
      question: '注销账户前如何导出我的数据？',
      answer: [
        '进入“设置 > 隐私”，选择“下载全部内容”。我们会把文件、文件夹结构、历史版本和共享设置打包成压缩文件，准备好后通过邮件发送下载链接，通常在一小时内完成。',
        '链接七天内有效。资料很多时会拆分成多个压缩包，每个最大五十GB。在确认压缩包完整之前请妥善保存：空间关闭后，我们无法恢复任何内容。',
      ],
    },
    {
      question: '如何邀请团队成员加入账户？',
      answer: [
        '团队版的所有者或管理员打开“管理 > 成员”，点击“邀请”。输入一个或多个邮箱地址并选择角色：成员、管理员或只读访客。邀请在十四天后失效。',
        '每接受一份邀请就占用一个席位，从接受当天开始计费。移除某人会立即释放席位，其名下的文件会转交给空间的所有者。',
      ],
    },
  ],
};

/** A plant manual whose first section is named only by its heading: "pump" and "maintenance" are not in its text. */
export const PUMP_MANUAL = `# Pump maintenance

Every six months, close the inlet valve, drain the housing and inspect the impeller for wear. Replace the shaft seal
if water has collected under the unit, and grease the motor bearings with two strokes of lithium grease.

# Boiler care

The boiler must be serviced every twelve months by a certified technician, who checks the burner, the flue and the
pressure relief valve. Yearly maintenance keeps the warranty valid.

# Filters

Replace the air filter when the warning light turns orange. Filter maintenance takes five minutes and needs no tools.
`;

export const faqMarkdown = (faq: Faq): string =>
  [`# ${faq.title}`, ...faq.entries.flatMap(({ question, answer }) => [`## ${question}`, ...answer])].join('\n\n') + '\n';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const faqHtml = (faq: Faq, lang: string): string =>
  `<!doctype html>\n<html lang="${lang}"><head><meta charset="utf-8"><title>${escapeXml(faq.title)}</title></head><body>\n` +
  `<h1>${escapeXml(faq.title)}</h1>\n` +
  faq.entries
    .map(({ question, answer }) => `<h2>${escapeXml(question)}</h2>\n${answer.map((p) => `<p>${escapeXml(p)}</p>`).join('\n')}`)
    .join('\n') +
  '\n</body></html>\n';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/**
 * word/document.xml and word/styles.xml in Word's own shape: paragraphs refer to heading styles by id, and
 * styles.xml names them "heading 1", "heading 2".
 * `styleIds` differ by Word's language: "Heading1" in English Word, "1" in Chinese Word (the names stay the same).
 */
export function faqDocxParts(faq: Faq, styleIds: { h1: string; h2: string }): { document: string; styles: string } {
  const paragraph = (text: string, style?: string) =>
    `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}` +
    `<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
  const body = [
    paragraph(faq.title, styleIds.h1),
    ...faq.entries.flatMap(({ question, answer }) => [
      paragraph(question, styleIds.h2),
      ...answer.map((text) => paragraph(text)),
    ]),
  ].join('');
  const document =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`;
  const headingStyle = (id: string, level: number) =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="heading ${level}"/><w:basedOn w:val="Normal"/>` +
    `<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>` +
    `<w:pPr><w:keepNext/><w:outlineLvl w:val="${level - 1}"/></w:pPr></w:style>`;
  const styles =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="${W}">` +
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
    headingStyle(styleIds.h1, 1) +
    headingStyle(styleIds.h2, 2) +
    '</w:styles>';
  return { document, styles };
}
