/** Messages of the wallet page(s), in English and Chinese (same keys in both). */
export const wallet = {
  en: { title: 'wallet' },
  zh: { title: 'wallet' },
};
