import { describe, expect, it } from 'vitest';
import { chargeSentence } from './TurnTrail';

const price = { promptPer1k: 1000, completionPer1k: 2000 };
const usage = { promptTokens: 300, completionTokens: 50 };

describe('a turn\'s charge in words', () => {
  it('says the usage at the price was charged, or the hold when the usage came to more', () => {
    expect(chargeSentence({ price, hold: 600, usage, usageCost: 400, settlement: 'captured', charged: 400 })).toBe('captured');
    expect(chargeSentence({ price, hold: 600, usage, usageCost: 600, settlement: 'captured', charged: 600 })).toBe('captured');
    expect(chargeSentence({ price, hold: 350, usage, usageCost: 400, settlement: 'captured', charged: 350 })).toBe('capped');
  });

  it('says nothing was charged for a released or declined hold, and when the hold is still open', () => {
    expect(chargeSentence({ price, hold: 600, settlement: 'released', charged: 0 })).toBe('released');
    expect(chargeSentence({ price, hold: 600, settlement: 'declined', charged: 0 })).toBe('declined');
    expect(chargeSentence({ price, hold: 600, settlement: null, charged: null })).toBe('open');
  });

  it('does not invent a reason for a charge without a recorded usage', () => {
    expect(chargeSentence({ price, hold: 600, usage: null, usageCost: null, settlement: 'captured', charged: 5 })).toBe('unexplained');
  });
});
