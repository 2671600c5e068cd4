/** Messages of the audit page(s), in English and Chinese (same keys in both). */
export const audit = {
  en: { title: 'audit' },
  zh: { title: 'audit' },
};
