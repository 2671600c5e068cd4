/**
 * The app's settings for the chat benches: a chat model served by the OpenAI stub server at `baseURL`, at a known
 * price, lexical search alone, and a signup grant that no run spends.
 */
export const STUB_CHAT_MODEL = 'stub-chat';

export const stubChatEnv = (baseURL: string, signupGrant: number): Record<string, string> => ({
  OPENAI_BASE_URL: baseURL,
  OPENAI_API_KEY: 'sk-bench',
  CHAT_MODEL: STUB_CHAT_MODEL,
  PRICES: JSON.stringify({ [STUB_CHAT_MODEL]: { promptPer1k: 1000, completionPer1k: 2000 } }),
  SEARCH_DENSE_WEIGHT: '0',
  SIGNUP_GRANT: String(signupGrant),
});
