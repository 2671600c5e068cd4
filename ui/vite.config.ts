/**
 * The web app's build: Vue 3 single-file components, bundled into ui/dist, which our own server serves at `/`.
 * In development (`npx vite ui`) the GraphQL and upload routes are proxied to a running server on :4000.
 */
import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.KA_API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
  define: {
    // Every component is <script setup>: the Options API is left out of the bundle.
    __VUE_OPTIONS_API__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
    // vue-i18n's esm-bundler build: messages are plain objects compiled at run time without eval (CSP-safe),
    // and the legacy API is left out of the bundle.
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    // Lists each page's chunks: the bench sums what the chat page loads.
    manifest: true,
  },
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/api': api,
    },
  },
});
