/**
 * Whose an answer is: AnswerCompleted and AnswerStopped name their asker (`userId`) since schema version 2, so the
 * answer text is sealed under the asker's key (contracts/personal-data.ts) and erasing the user erases it.
 *
 * Version 1 had no asker, and nothing in the event alone says who it was (it is on the turn's TurnStarted), so the
 * upcaster reads it as `null`: such an answer was written in clear, and the conversations read model erases it with
 * the rest of its asker's conversations (it knows the turn's user from TurnStarted).
 */
import type { Upcaster } from './upcasters.ts';

export const answerNamesAsker: Upcaster = {
  from: 1,
  upcast: (data) => ({ ...data, userId: null }),
};
