/**
 * A chunk's size in the two measures that bound it: tokens (the real tokenizer) and CJK characters. Token counts
 * alone let Chinese chunks run from ~330 to ~550 characters (o200k packs common words into one token), so Chinese,
 * Japanese and Korean characters have their own cap.
 */
import { countTokens } from './tokens.ts';

export interface Size {
  tokens: number;
  cjk: number;
}

const CJK = /[\u3000-\u303f\uff00-\uffef\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]|[\u{20000}-\u{3134f}]/gu;

export const cjkCount = (text: string): number => text.match(CJK)?.length ?? 0;

export const measure = (text: string): Size => ({ tokens: countTokens(text), cjk: cjkCount(text) });

export const fits = (size: Size, limit: Size): boolean => size.tokens <= limit.tokens && size.cjk <= limit.cjk;

export const plus = (a: Size, b: Size, joinTokens = 0): Size => ({
  tokens: a.tokens + b.tokens + joinTokens,
  cjk: a.cjk + b.cjk,
});

export const ZERO: Size = { tokens: 0, cjk: 0 };
