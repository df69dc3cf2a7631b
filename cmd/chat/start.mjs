// `npm run chat`: compiles the terminal client only when a source is newer than what was
// compiled from it (tsconfig.chat.json: the client alone, a few seconds), then runs it in this
// same process, as cmd/server/start.mjs does for the server. Plain JavaScript, because it runs
// before anything is compiled; tsc's output goes to stderr, stdout is the chat's.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What tsconfig.chat.json compiles, and the files whose change changes its output. */
const SOURCE_DIRS = ['cmd/chat', 'client/core', 'client/node', 'client/terminal'];
const BUILD_INPUTS = [
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.chat.json',
  'package-lock.json',
];

/** Every `.ts` file (not `.d.ts`) under the directory, as paths from the root. */
function sources(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /(?<!\.d)\.ts$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

function modified(path) {
  return statSync(join(ROOT, path), { throwIfNoEntry: false })?.mtimeMs;
}

/** Why the compiled client is out of date (an output missing or older than an input), if it is. */
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

function build(reason) {
  process.stderr.write(`compiling the terminal client (${reason}) ...\n`);
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('TypeScript is not installed: run `npm ci` first.\n');
    process.exit(1);
  }
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.chat.json'], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const reason = staleness();
if (reason !== undefined) build(reason);
await import('../../dist/cmd/chat/main.js');
