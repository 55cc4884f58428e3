// Builds every bundle Customer Lens ships, plus the JSON Schemas generated from the zod schemas.
//   node esbuild.js               development build (sourcemaps)
//   node esbuild.js --production  minified, no sourcemaps (used by `npm run package`)
//   node esbuild.js --watch       rebuild on change (type checking runs separately: `npm run typecheck`)
'use strict';
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const nodeDefaults = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // VS Code 1.96 (the oldest supported) runs extensions and the language server on Node 20.18; the CLI needs Node >= 20.19.
  target: 'node20',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

/**
 * Swaps the MCP SDK's per-runtime shims for src/agents/mcpRuntimeShims.ts: the Node shim brings AJV, which only
 * validates elicitation answers, and `customer-lens mcp` never elicits.
 */
const mcpShims = {
  name: 'mcp-runtime-shims',
  setup(build) {
    build.onResolve({ filter: /^@modelcontextprotocol\/server\/_shims$/ }, () => ({ path: path.join(__dirname, 'src', 'agents', 'mcpRuntimeShims.ts') }));
  },
};

/**
 * zod registers every locale it has (about 250 kB of messages in 60 languages) through `z.locales`; Customer Lens
 * speaks English and never calls `z.config(z.locales.xx())`, so the index of locales is English alone.
 */
const englishOnlyZod = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: path.join(path.dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const bundles = [
  {
    ...nodeDefaults,
    entryPoints: ['src/client/extension.ts'],
    outfile: 'dist/client/extension.js',
    external: ['vscode'],
    plugins: [englishOnlyZod],
  },
  {
    // The CLI, and the language server the extension runs (`customer-lens lsp --node-ipc`): one bundle, so the
    // package does not ship the server's code twice. `vscode` is deliberately NOT external here: an accidental
    // `import 'vscode'` in server or CLI code must break the build.
    ...nodeDefaults,
    entryPoints: ['src/cli/customerLens.ts'],
    outfile: 'dist/cli/customerLens.js',
    banner: { js: '#!/usr/bin/env node' },
    define: { CUSTOMER_LENS_VERSION: JSON.stringify(require('./package.json').version) },
    plugins: [mcpShims, englishOnlyZod],
  },
  {
    // The hub: its own bundle, loaded by the CLI's `hub` command only. The database engines and vendor SDKs stay
    // runtime dependencies (PGlite ships WebAssembly and data files beside its code; an SDK is updated on its own),
    // so they are external here; nothing of the hub is imported by the extension or the language server.
    ...nodeDefaults,
    entryPoints: ['src/hub/hubCli.ts'],
    outfile: 'dist/hub/hub.js',
    external: ['@electric-sql/pglite', 'pg', 'pg-native', '@linear/sdk', 'intercom-client', 'stripe'],
    plugins: [englishOnlyZod],
  },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    entryPoints: ['src/webview/sidebar.ts'],
    outfile: 'dist/webview/sidebar.js',
  },
];

/**
 * Writes dist/schemas/*.json from src/shared/jsonSchemas.ts, so the JSON Schemas the extension registers and the
 * CLI validates against come from the same zod source of truth.
 */
async function generateJsonSchemas() {
  const outfile = path.join(__dirname, 'dist', '.build', 'jsonSchemas.js');
  await esbuild.build({ ...nodeDefaults, sourcemap: false, minify: false, entryPoints: ['src/shared/jsonSchemas.ts'], outfile });
  delete require.cache[outfile];
  const { jsonSchemas } = require(outfile);
  const dir = path.join(__dirname, 'dist', 'schemas');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    fs.writeFileSync(path.join(dir, name), JSON.stringify(schema, null, 2) + '\n');
  }
}

/**
 * Removes what an earlier build wrote that no bundle writes any more (a bundle renamed or merged into another), so
 * `.vscodeignore`'s allow-list of dist/ cannot package a stale copy.
 */
function removeStaleOutputs() {
  const dist = path.join(__dirname, 'dist');
  const written = new Set([...bundles.map((b) => path.relative(dist, path.resolve(__dirname, b.outfile)).split(path.sep)[0]), 'schemas', '.build']);
  for (const entry of fs.existsSync(dist) ? fs.readdirSync(dist) : []) {
    if (!written.has(entry)) fs.rmSync(path.join(dist, entry), { recursive: true, force: true });
  }
}

async function main() {
  removeStaleOutputs();
  if (watch) {
    const contexts = await Promise.all(bundles.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    await generateJsonSchemas();
    console.log('[watch] build finished, watching for changes');
    return;
  }
  await Promise.all(bundles.map((b) => esbuild.build(b)));
  await generateJsonSchemas();
  fs.chmodSync(path.join(__dirname, 'dist', 'cli', 'customerLens.js'), 0o755);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
