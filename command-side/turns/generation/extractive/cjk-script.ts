/**
 * The scripts written without spaces between words (Chinese characters, Japanese kana), as the inside of a regular
 * expression character class: one definition for splitting, term extraction and language detection.
 */
export const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
