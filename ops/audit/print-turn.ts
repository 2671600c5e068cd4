/**
 * `npm run audit -- turn <id>`: the turn's causation chain in log order, then the line that explains its charge from
 * the chain alone (usage x price, within the hold; nothing for a released or declined hold) and anything that does
 * not add up.
 */
import type { TurnTrail } from '../../query-side/audit/turn-trail.ts';
import { eventLines, priceText, usageText } from './describe-event.ts';

export const DOES_NOT_ADD_UP = 'DOES NOT ADD UP:';

function chargeLine(trail: TurnTrail): string {
  const { charge, usage, price } = trail;
  switch (charge.settlement) {
    case null:
      return `charge: none yet, the hold of ${charge.hold} is still open`;
    case 'declined':
      return `charge: 0, the hold of ${charge.hold} was declined`;
    case 'released':
      return `charge: 0, the hold of ${charge.hold} was released`;
    case 'captured': {
      if (!usage || charge.usageCost === null) return `charge: ${charge.charged} captured without a recorded usage`;
      const cost = charge.usageCost;
      const within = cost > charge.hold ? `, above the hold of ${charge.hold}: ${charge.hold}` : ` within the hold of ${charge.hold}`;
      return (
        `charge: ${usageText(usage)} at ${priceText(price)} = ${cost} (rounded up to a micro-credit)${within}; ` +
        `the wallet captured ${charge.charged}`
      );
    }
  }
}

export function turnLines(trail: TurnTrail): string[] {
  return [
    `turn ${trail.turnId}: ${trail.status}, asked by user ${trail.userId} in conversation ${trail.conversationId} ` +
      `(knowledge base ${trail.knowledgeBaseId})`,
    ...trail.events.flatMap((event) => eventLines(event)),
    chargeLine(trail),
    ...trail.charge.problems.map((problem) => `${DOES_NOT_ADD_UP} ${problem}`),
  ];
}
