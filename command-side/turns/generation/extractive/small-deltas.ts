/**
 * An answer cut into the pieces it is streamed in: a word with the spaces after it, or one or two Chinese
 * characters, so a client sees it arrive as a model's tokens would. Joined, the pieces give back the text.
 */
import { CJK } from '../../../../contracts/text-tokens.ts';

const PIECE = new RegExp(`[${CJK}]{1,2}|(?:(?![${CJK}])\\S)+\\s*|\\s+`, 'gu');

export const smallDeltas = (text: string): string[] => text.match(PIECE) ?? [];
