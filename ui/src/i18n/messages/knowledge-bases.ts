/** Messages of the knowledgeBases page(s), in English and Chinese (same keys in both). */
export const knowledgeBases = {
  en: { title: 'knowledgeBases' },
  zh: { title: 'knowledgeBases' },
};
