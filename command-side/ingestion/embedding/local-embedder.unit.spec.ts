import { SLICE_MS } from '../../../contracts/event-loop-turns.ts';
import { describe, expect, it } from 'vitest';
import { createLocalEmbedder, embeddingFeatures } from './local-embedder.ts';

const embedder = createLocalEmbedder({ dimensions: 512 });
const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
const embedOne = async (text: string) => (await embedder.embed([text]))[0]!;

describe('local embedder', () => {
  it('is deterministic, sized by the configuration and L2-normalised', async () => {
    const [a, b] = await embedder.embed(['Boilers need yearly servicing.', 'Boilers need yearly servicing.']);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(a).toHaveLength(512);
    expect(Math.hypot(...a!)).toBeCloseTo(1, 5);
    expect(embedder).toMatchObject({ kind: 'local', dimensions: 512, model: 'local-hashed-ngrams-v1-512' });
    expect(Array.from((await createLocalEmbedder({ dimensions: 512 }).embed(['Boilers need yearly servicing.']))[0]!))
      .toEqual(Array.from(a!));
  });

  it('gives a zero vector to text without words rather than NaN', async () => {
    const [empty] = await embedder.embed(['  ...  ']);
    expect(Array.from(empty!).every((value) => value === 0)).toBe(true);
  });

  it('puts related English texts closer than unrelated ones (stems and character trigrams)', async () => {
    const question = await embedOne('How often should the boiler be serviced?');
    const answer = await embedOne('Service your boilers every twelve months.');
    const unrelated = await embedOne('The refund policy allows returns within thirty days.');
    expect(cosine(question, answer)).toBeGreaterThan(cosine(question, unrelated) + 0.1);
  });

  it('puts related Chinese texts closer than unrelated ones (character unigrams and bigrams)', async () => {
    const question = await embedOne('锅炉多久检修一次？');
    const answer = await embedOne('锅炉每十二个月必须检修一次。');
    const unrelated = await embedOne('我们的退款政策允许三十天内退货。');
    expect(cosine(question, answer)).toBeGreaterThan(cosine(question, unrelated) + 0.1);
  });

  it('extracts stemmed words, word trigrams and CJK n-grams, skipping function words', () => {
    const features = embeddingFeatures('The running 中国人');
    expect([...features.keys()]).toEqual(
      expect.arrayContaining(['w:run', 't:<ru', 't:ng>', 'u:中', 'u:人', 'b:中国', 'b:国人']),
    );
    expect(features.has('w:the')).toBe(false);
  });

  it('rejects a dimension that is not a positive integer', () => {
    expect(() => createLocalEmbedder({ dimensions: 0 })).toThrow(RangeError);
  });
});

describe('embedding a large batch', () => {
  it('gives the event loop turns while it works, so a timer keeps ticking', async () => {
    const texts = Array.from({ length: 3000 }, (_, i) => `Replace the air filter of pump ${i} when the warning light turns amber. `.repeat(6));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    const vectors = await createLocalEmbedder({ dimensions: 256 }).embed(texts);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(vectors).toHaveLength(texts.length);
    // Hundreds of milliseconds of hashing: at least tens of slices, each ending in a turn where the timer may run.
    expect(elapsed).toBeGreaterThan(20 * SLICE_MS);
    expect(ticks).toBeGreaterThanOrEqual(5);
  });
});
