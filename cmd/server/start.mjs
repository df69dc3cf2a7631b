// `npm start`: compiles the server only when a source is newer than what was compiled from it,
// then runs it in this same process. Plain JavaScript, because it runs before anything is
// compiled. One process, not `tsc && node` under a shell: npm forwards SIGINT and SIGTERM to its
// child, and a shell in between would die of them and leave the server running (issue 11).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What tsconfig.build.json compiles, and the files whose change changes its output. */
const SOURCE_DIRS = ['cmd', 'business', 'platform'];
const BUILD_INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

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
await import('../../dist/cmd/server/main.js');
