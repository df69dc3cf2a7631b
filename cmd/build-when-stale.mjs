// What `npm start` and `npm run chat` share: compile only when a source is newer than what was
// compiled from it (like make), in plain JavaScript, since it runs before anything is compiled.
// tsc's and the bundler's output go to stderr: stdout belongs to the program that runs next.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Every file under the directory whose name passes `keep`, as paths from the root. */
export function files(dir, keep = () => true) {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

export function modified(path) {
  return statSync(join(ROOT, path), { throwIfNoEntry: false })?.mtimeMs;
}

/**
 * Why what tsc compiles from `sourceDirs` is out of date, or undefined when it is not: an output
 * missing, or older than any input (tsc rewrites every output on each build, so one comparison
 * suffices). `buildInputs` are the other files whose change changes the output.
 */
export function compiledStaleness(sourceDirs, buildInputs) {
  const inputs = sourceDirs.flatMap((dir) => files(dir, (name) => /(?<!\.d)\.ts$/.test(name)));
  let oldestOutput = Infinity;
  for (const source of inputs) {
    const output = join('dist', source.replace(/\.ts$/, '.js'));
    const time = modified(output);
    if (time === undefined) return `${output} is missing`;
    oldestOutput = Math.min(oldestOutput, time);
  }
  const changed = [...buildInputs, ...inputs].find((input) => modified(input) > oldestOutput);
  return changed === undefined ? undefined : `${changed} changed`;
}

/** Runs `node <script> ...args` from the root, exiting with its status when it fails. */
export function runOrExit(script, args = []) {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 2, 2],
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Compiles with tsc and this tsconfig, saying why first. */
export function compile(tsconfig, what, reason) {
  process.stderr.write(`compiling${what} (${reason}) ...\n`);
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    process.stderr.write('TypeScript is not installed: run `npm ci` first.\n');
    process.exit(1);
  }
  runOrExit(tsc, ['-p', tsconfig]);
}
