// Build: `npm run build` writes dist/ (served by nginx at `/`, the API at the same origin under /v1):
// the page (index.html), the API reference (docs.html, served at /docs) and the contract
// itself, /openapi.yaml as written and /openapi.json parsed from it, made afresh by every build
// from ../openapi.yaml (never copied by hand, never committed).
// Preview: `npm run preview` serves dist/ on 127.0.0.1:4173 with the production CSP (see CSP.md)
// and proxies /v1 to the api (CRUCIBLE_API_URL, default http://127.0.0.1:8080), so the e2e
// tests can run against it without nginx.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { parse } from 'yaml';

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
const contractPath = fileURLToPath(new URL('../openapi.yaml', import.meta.url));

/** The contract as the two files served beside the page. A contract that is not valid YAML fails the build. */
function contractFiles(): Record<string, { type: string; source: string }> {
  const yaml = readFileSync(contractPath, 'utf8');
  const json = `${JSON.stringify(parse(yaml), null, 2)}\n`;
  return {
    'openapi.yaml': { type: 'application/yaml; charset=utf-8', source: yaml },
    'openapi.json': { type: 'application/json; charset=utf-8', source: json },
  };
}

function serveContract(request: IncomingMessage, response: ServerResponse, next: () => void): void {
  const file = contractFiles()[(request.url ?? '').replace(/^\/|\?.*$/g, '')];
  if (!file) return next();
  response.setHeader('Content-Type', file.type);
  response.setHeader('Content-Security-Policy', CSP);
  response.end(file.source);
}

function openapiContract(): Plugin {
  return {
    name: 'crucible-openapi-contract',
    buildStart() {
      this.addWatchFile(contractPath);
    },
    generateBundle() {
      for (const [fileName, { source }] of Object.entries(contractFiles())) {
        this.emitFile({ type: 'asset', fileName, source });
      }
    },
    // `npm run dev` and `npm run preview` serve them too, with nginx's types (preview's static
    // server calls YAML text/yaml), read at each request so an edit shows at once.
    configureServer(server) {
      server.middlewares.use(serveContract);
    },
    configurePreviewServer(server) {
      server.middlewares.use(serveContract);
    },
  };
}

export default defineConfig({
  plugins: [openapiContract()],
  build: {
    outDir: 'dist',
    // The polyfill would be bundled, not inlined, but no browser we support needs it.
    modulePreload: { polyfill: false },
    // Vite inlines small assets as data: URLs by default; keep every asset a file of its own.
    assetsInlineLimit: 0,
    // The API reference is Swagger UI, about 1.5 MB minified; only /docs loads it.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        docs: fileURLToPath(new URL('docs.html', import.meta.url)),
      },
    },
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
