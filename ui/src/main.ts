/** Boots the app: session, API client, i18n, router; then mounts. */
import { provideClient } from '@urql/vue';
import { createApp, h, watch } from 'vue';
import App from './App.vue';
import { APP_CONTEXT } from './composables/app-context';
import { createSessionStore } from './composables/session-store';
import { createApiClient } from './graphql/api-client';
import { refreshSession } from './graphql/refresh-session';
import { i18n, setLocale } from './i18n/i18n';
import { createAppRouter } from './router';
import './styles.css';

const session = createSessionStore({ storage: localStorage, refresh: (token) => refreshSession(window.location.origin, token) });
const api = createApiClient(session);
const router = createAppRouter(session);

// A session that ends (sign out, refused refresh) leaves the protected pages.
watch(
  () => session.state.session,
  (current) => {
    if (!current && !router.currentRoute.value.meta.public) {
      void router.push({ name: 'sign-in', query: { next: router.currentRoute.value.fullPath } });
    }
  },
);

const app = createApp({
  setup() {
    provideClient(api.urql);
    return () => h(App);
  },
});
app.provide(APP_CONTEXT, { session, api });
app.use(i18n).use(router);
setLocale(i18n.global.locale.value);
app.mount('#app');
