/** Routes; every page but sign-in needs a session (otherwise: sign in, then back to where the user was going). */
import { createRouter, createWebHistory } from 'vue-router';
import type { SessionStore } from './composables/session-store';

export function createAppRouter(session: SessionStore) {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', redirect: '/chat' },
      { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue'), meta: { public: true } },
      { path: '/chat/:conversationId?', name: 'chat', component: () => import('./pages/ChatPage.vue') },
      { path: '/knowledge-bases', name: 'knowledge-bases', component: () => import('./pages/KnowledgeBasesPage.vue') },
      { path: '/knowledge-bases/:id', name: 'knowledge-base', component: () => import('./pages/KnowledgeBasePage.vue') },
      { path: '/workspaces', name: 'workspaces', component: () => import('./pages/WorkspacesPage.vue') },
      { path: '/workspaces/:id', name: 'workspace', component: () => import('./pages/WorkspacePage.vue') },
      { path: '/wallet', name: 'wallet', component: () => import('./pages/WalletPage.vue') },
      { path: '/api-keys', name: 'api-keys', component: () => import('./pages/ApiKeysPage.vue') },
      { path: '/audit', name: 'audit', component: () => import('./pages/AuditPage.vue') },
      { path: '/:pathMatch(.*)*', redirect: '/chat' },
    ],
  });
  router.beforeEach((to) => {
    if (!to.meta.public && !session.state.session) return { name: 'sign-in', query: { next: to.fullPath } };
    if (to.name === 'sign-in' && session.state.session) return { name: 'chat' };
    return true;
  });
  return router;
}
