/** Which page is open and the colour theme; the theme choice is remembered in the page's local storage. */
import { createStore } from 'zustand/vanilla';

export const PAGES = [
  'overview',
  'drift',
  'anomalies',
  'sources',
  'reports',
  'what-if',
  'profiling',
  'challenger',
  'performance',
  'models',
] as const;
export type PageId = (typeof PAGES)[number];
export type Theme = 'system' | 'light' | 'dark';

export interface UiState {
  page: PageId;
  theme: Theme;
  setPage(page: PageId): void;
  setTheme(theme: Theme): void;
  cycleTheme(): void;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const THEME_KEY = 'vigie.theme';

export function createUiStore(storage: KeyValueStorage | null, initialPage: PageId = 'overview') {
  const saved = storage?.getItem(THEME_KEY);
  const theme: Theme = saved === 'light' || saved === 'dark' || saved === 'system' ? saved : 'system';
  return createStore<UiState>()((set, get) => ({
    page: initialPage,
    theme,
    setPage: (page) => set({ page }),
    setTheme(next) {
      storage?.setItem(THEME_KEY, next);
      set({ theme: next });
    },
    cycleTheme() {
      const order: Theme[] = ['system', 'light', 'dark'];
      get().setTheme(order[(order.indexOf(get().theme) + 1) % order.length]!);
    },
  }));
}

export function pageFromHash(hash: string): PageId | null {
  const name = hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(name) ? (name as PageId) : null;
}
