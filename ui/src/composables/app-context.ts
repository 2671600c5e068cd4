/**
 * The app's singletons (session, API client), created once in main.ts and reached by composables through
 * provide/inject, so tests can mount a composable with their own.
 */
import { inject, type InjectionKey } from 'vue';
import type { ApiClient } from '../graphql/api-client';
import type { SessionStore } from './session-store';

export interface AppContext {
  session: SessionStore;
  api: ApiClient;
}

export const APP_CONTEXT: InjectionKey<AppContext> = Symbol('app-context');

export function useAppContext(): AppContext {
  const context = inject(APP_CONTEXT);
  if (!context) throw new Error('useAppContext() outside the app (provide APP_CONTEXT)');
  return context;
}
