// `npm start`: compiles the server only when a source is newer than what was compiled from it,
// builds the browser client (dist/web, served at /client) the same way, then runs the server in
// this same process. Plain JavaScript, because it runs before anything is
// compiled. One process, not `tsc && node` under a shell: npm forwards SIGINT and SIGTERM to its
// child, and a shell in between would die of them and leave the server running (issue 11).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What tsconfig.build.json compiles, and the files whose change changes its output. */
const SOURCE_DIRS = ['cmd', 'business', 'platform'];
const BUILD_INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
/** What client/web/build.mjs bundles, and the file it writes last. */
const WEB_SOURCE_DIRS = ['client/web', 'client/core'];
const WEB_OUTPUT = 'dist/web/app.css';

/** Every `.ts` file (not `.d.ts`) under the directory, as paths from the root. */
function sources(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /(?<!\.d)\.ts$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

function modified(path) {
  return statSync(join(ROOT, path), { throwIfNoEntry: false })?.mtimeMs;
}

/**
 * Why the compiled server is out of date, or undefined when it is not: like make, an output
 * older than any input (tsc rewrites every output on each build, so one comparison suffices).
 */
function staleness() {
  const inputs = SOURCE_DIRS.flatMap(sources);
  let oldestOutput = Infinity;
  for (const source of inputs) {
    const output = join('dist', source.replace(/\.ts$/, '.js'));
    const time = modified(output);
    if (time === undefined) return `${output} is missing`;
    oldestOutput = Math.min(oldestOutput, time);
  }
  const changed = [...BUILD_INPUTS, ...inputs].find((input) => modified(input) > oldestOutput);
  return changed === undefined ? undefined : `${changed} changed`;
}

/** Every file under the directory (the web client's sources include HTML and CSS), from the root. */
function files(dir) {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Why the browser client's bundle is out of date, or undefined when it is not. */
function webStaleness() {
  if (!existsSync(join(ROOT, 'client/web/build.mjs'))) return undefined;
  const built = modified(WEB_OUTPUT);
  if (built === undefined) return `${WEB_OUTPUT} is missing`;
  const changed = ['package-lock.json', ...WEB_SOURCE_DIRS.flatMap(files)].find(
    (input) => modified(input) > built,
  );
  return changed === undefined ? undefined : `${changed} changed`;
}

function buildWeb(reason) {
  process.stderr.write(`building the browser client (${reason}) ...\n`);
  const result = spawnSync(process.execPath, [join(ROOT, 'client/web/build.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function build(reason) {
  process.stderr.write(`compiling (${reason}) ...\n`);
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('TypeScript is not installed: run `npm ci` first.\n');
    process.exit(1);
  }
  // tsc's diagnostics go to stderr: stdout carries only the server's `listening on` line.
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const reason = staleness();
if (reason !== undefined) build(reason);
const webReason = webStaleness();
if (webReason !== undefined) buildWeb(webReason);
await import('../../dist/cmd/server/main.js');
