/**
 * How a turn's charge follows from its chain, as a sentence to show (a message key under chat.trail) and its
 * figures: the usage at the price, within the hold, or nothing for a released or declined hold. Pure, so it is tested
 * without Vue or i18n.
 */
export interface TrailFacts {
  price: { promptPer1k: number; completionPer1k: number };
  hold: number;
  usage?: { promptTokens: number; completionTokens: number } | null;
  usageCost?: number | null;
  settlement?: string | null;
  charged?: number | null;
}

export type ChargeSentence = 'captured' | 'capped' | 'released' | 'declined' | 'open' | 'unexplained';

export function chargeSentence(trail: TrailFacts): ChargeSentence {
  switch (trail.settlement) {
    case 'captured':
      if (!trail.usage || trail.usageCost == null) return 'unexplained';
      return trail.usageCost > trail.hold ? 'capped' : 'captured';
    case 'released':
    case 'declined':
      return trail.settlement;
    default:
      return 'open';
  }
}

