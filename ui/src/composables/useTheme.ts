/** Light, dark or the system's choice; kept in localStorage and applied as data-theme on <html>. */
import { ref, watchEffect } from 'vue';

export type Theme = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'ka.theme';
const theme = ref<Theme>((localStorage.getItem(STORAGE_KEY) as Theme | null) ?? 'system');

export function useTheme() {
  watchEffect(() => {
    localStorage.setItem(STORAGE_KEY, theme.value);
    if (theme.value === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme.value;
  });
  return { theme };
}
