// Build: `npm run build` writes dist/ (served by nginx at `/`, the API at the same origin under /v1).
// Preview: `npm run preview` serves dist/ on 127.0.0.1:4173 with the production CSP (see CSP.md)
// and proxies /v1 to the api (CRUCIBLE_API_URL, default http://127.0.0.1:8080), so the e2e
// tests can run against it without nginx.
import { defineConfig } from 'vite';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const api = process.env.CRUCIBLE_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  build: {
    outDir: 'dist',
    // The polyfill would be bundled, not inlined, but no browser we support needs it.
    modulePreload: { polyfill: false },
    // Vite inlines small assets as data: URLs by default; keep every asset a file of its own.
    assetsInlineLimit: 0,
  },
  preview: {
    host: '127.0.0.1',
    headers: { 'Content-Security-Policy': CSP },
    proxy: { '/v1': { target: api, changeOrigin: true } },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/v1': { target: api, changeOrigin: true } },
  },
});
