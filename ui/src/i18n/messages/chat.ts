/** Messages of the chat page(s), in English and Chinese (same keys in both). */
export const chat = {
  en: { title: 'chat' },
  zh: { title: 'chat' },
};
