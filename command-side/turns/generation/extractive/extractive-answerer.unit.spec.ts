/**
 * The extractive answerer: quotes the retrieved sentences that answer the question, each cited with the passage
 * it came from, in the question's language (English, Chinese), says it is extractive, and says so when nothing
 * is relevant. Streams in small deltas, stops at maxTokens and on abort, and counts its usage.
 */
import { describe, expect, it } from 'vitest';
import type { ContextPassage, GenerationEnd, GenerationRequest } from '../../../../contracts/answer-generation.ts';
import { countTokens } from '../../../ingestion/chunking/index.ts';
import { createExtractiveAnswerer } from './extractive-answerer.ts';

const answerer = createExtractiveAnswerer({ model: 'extractive-local' });

const passage = (n: number, text: string): ContextPassage => ({
  n,
  documentId: `doc-${n}`,
  documentTitle: `Document ${n}`,
  chunkId: `chunk-${n}`,
  text,
});

const english = [
  passage(1, 'Pump maintenance\nThe pump is cleaned every week. Its filter is replaced every six months by a certified technician.'),
  passage(2, 'Warranty\nThe warranty covers two years from the date of purchase. Claims go to the dealer.'),
  passage(3, 'The pump is cleaned every week. Noise at start-up is normal.'),
];

const chinese = [
  passage(1, '设备保养\n水泵每周清洗一次。过滤器每六个月由认证技术人员更换一次。'),
  passage(2, '保修条款\n保修期为自购买之日起两年。索赔请联系经销商。'),
];

async function answer(request: Partial<GenerationRequest> & { question: string }) {
  const deltas: string[] = [];
  let end: GenerationEnd | undefined;
  for await (const event of answerer.generate({ history: [], passages: [], maxTokens: 500, ...request })) {
    if (event.type === 'delta') deltas.push(event.text);
    else end = event;
  }
  return { deltas, end: end! };
}

describe('extractive answerer in English', () => {
  it('quotes the sentence that answers, cites the passage it came from, and says it is extractive', async () => {
    const { end, deltas } = await answer({ question: 'How often is the filter replaced?', passages: english });
    const lines = end.text.split('\n');
    expect(lines[0]).toBe(
      'Extractive answer (no language model configured), quoting the most relevant passages of the knowledge base:',
    );
    expect(lines[1]).toBe('Its filter is replaced every six months by a certified technician. [1]');
    expect(end.cited).toContain(1);
    expect(end.cited).not.toContain(2);
    expect(deltas.join('')).toBe(end.text);
    expect(end).toMatchObject({ outcome: 'completed', model: 'extractive-local', finishReason: 'stop' });
  });

  it('cites each sentence with its own passage and quotes a sentence repeated by overlapping chunks once', async () => {
    const { end } = await answer({ question: 'How long does the warranty cover the pump, and how often is it cleaned?', passages: english });
    const quoted = end.text.split('\n').slice(1);
    expect(quoted).toContain('The warranty covers two years from the date of purchase. [2]');
    expect(quoted).toContain('The pump is cleaned every week. [1]');
    expect(quoted.filter((line) => line.startsWith('The pump is cleaned every week.'))).toHaveLength(1);
    // Every quoted line is a sentence of the passage it cites: nothing is invented.
    for (const line of quoted) {
      const [, sentence, n] = /^(.*) \[(\d)\]$/.exec(line)!;
      expect(english.find((p) => p.n === Number(n))!.text).toContain(sentence);
    }
  });

  it('says in one short sentence that the knowledge base has nothing relevant', async () => {
    const { end } = await answer({ question: 'What is the boiling point of mercury?', passages: english });
    expect(end.text).toBe(
      'Extractive answer (no language model configured): the knowledge base holds no passage relevant to this question.',
    );
    expect(end.cited).toEqual([]);
    expect(end.usage.completionTokens).toBeLessThan(30);
  });

  it('says so as well when retrieval found no passage', async () => {
    const { end } = await answer({ question: 'How often is the filter replaced?', passages: [] });
    expect(end.text).toContain('no passage relevant');
  });
});

describe('extractive answerer in Chinese', () => {
  it('answers a Chinese question in Chinese, quoting and citing the passage', async () => {
    const { end, deltas } = await answer({ question: '过滤器多久更换一次？', passages: chinese });
    const lines = end.text.split('\n');
    expect(lines[0]).toBe('抽取式回答（未配置语言模型），摘自知识库中最相关的段落：');
    expect(lines[1]).toBe('过滤器每六个月由认证技术人员更换一次。[1]');
    expect(end.cited).toEqual([1]);
    // Chinese streams one or two characters at a time.
    const hanDeltas = deltas.filter((delta) => /^\p{Script=Han}+$/u.test(delta));
    expect(hanDeltas.length).toBeGreaterThan(10);
    for (const delta of hanDeltas) expect(Array.from(delta).length).toBeLessThanOrEqual(2);
  });

  it('cites the warranty passage for a warranty question', async () => {
    const { end } = await answer({ question: '保修期是多长时间？', passages: chinese });
    expect(end.text.split('\n')[1]).toBe('保修期为自购买之日起两年。[2]');
    expect(end.cited).toEqual([2]);
  });

  it('says in Chinese that nothing is relevant', async () => {
    const { end } = await answer({ question: '量子计算机的工作原理是什么？', passages: chinese });
    expect(end.text).toBe('抽取式回答（未配置语言模型）：知识库中没有与这个问题相关的内容。');
  });

  it('answers an English question about Chinese passages in English words', async () => {
    const { end } = await answer({ question: 'What does 保修期 mean here?', passages: chinese });
    expect(end.text.startsWith('Extractive answer')).toBe(true);
    expect(end.text).toContain('保修期为自购买之日起两年。 [2]');
  });
});

describe('extractive answerer streaming and billing', () => {
  it('streams English word by word', async () => {
    const { deltas } = await answer({ question: 'How often is the filter replaced?', passages: english });
    expect(deltas.length).toBeGreaterThan(20);
    for (const delta of deltas) expect(delta.trim().split(/\s+/).length).toBeLessThanOrEqual(1);
  });

  it('stops at maxTokens and says the answer was cut', async () => {
    const { end } = await answer({ question: 'How often is the filter replaced?', passages: english, maxTokens: 12 });
    expect(end.usage.completionTokens).toBeLessThanOrEqual(12);
    expect(end.usage.completionTokens).toBeGreaterThan(6);
    expect(end.finishReason).toBe('length');
  });

  it('counts usage locally: the question as prompt, the streamed text as completion, within the reservation', async () => {
    const question = 'How often is the filter replaced?';
    const { end } = await answer({ question, passages: english });
    expect(end.usage).toEqual({ promptTokens: countTokens(question), completionTokens: countTokens(end.text), reported: false });
    expect(answerer.estimatePromptTokens({ question, history: [] })).toBe(end.usage.promptTokens);
  });

  it('ends stopped with what was streamed when the signal aborts', async () => {
    const controller = new AbortController();
    const deltas: string[] = [];
    let end: GenerationEnd | undefined;
    const request = { question: 'How often is the filter replaced?', history: [], passages: english, maxTokens: 500, signal: controller.signal };
    for await (const event of answerer.generate(request)) {
      if (event.type === 'end') end = event;
      else if (deltas.push(event.text) === 5) controller.abort();
    }
    expect(deltas).toHaveLength(5);
    expect(end).toMatchObject({ outcome: 'stopped', text: deltas.join(''), finishReason: null });
    expect(end!.usage.completionTokens).toBe(countTokens(deltas.join('')));
  });
});
