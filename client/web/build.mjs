// Builds the browser client into dist/web/ (served at /client): index.html, app.css, icon.svg, and
// app.js bundled by esbuild from main.ts and the client core. Plain JavaScript, like
// cmd/server/start.mjs, because it runs before anything is compiled; `npm run build`,
// `npm test` and `npm start` (when stale) run it. Takes well under a second.
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = join(ROOT, 'client/web');
const OUT = join(ROOT, 'dist/web');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('esbuild is not installed: run `npm ci` first.\n');
  process.exit(1);
}

await mkdir(OUT, { recursive: true });
await esbuild.build({
  entryPoints: [join(SOURCE, 'main.ts')],
  outfile: join(OUT, 'app.js'),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
await copyFile(join(SOURCE, 'index.html'), join(OUT, 'index.html'));
await copyFile(join(SOURCE, 'icon.svg'), join(OUT, 'icon.svg'));
// Last: cmd/server/start.mjs takes app.css's time as the build's.
await copyFile(join(SOURCE, 'style.css'), join(OUT, 'app.css'));
