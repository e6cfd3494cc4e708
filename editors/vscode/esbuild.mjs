// Bundles the extension and vscode-languageclient into out/extension.js.
// `node esbuild.mjs` (development: source map) or `node esbuild.mjs --production` (minified).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
await esbuild.build({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'out/extension.js',
  format: 'cjs',
  platform: 'node',
  target: 'node18', // VS Code 1.82's Node
  external: ['vscode'],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'info',
});
