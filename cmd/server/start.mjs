// `npm start`: compiles the server only when a source is newer than what was compiled from it,
// builds the browser client (dist/web, served at /client) the same way, then runs the server in
// this same process. One process, not `tsc && node` under a shell: npm forwards SIGINT and
// SIGTERM to its child, and a shell in between would die of them and leave the server running
// (issue 11).
import { join } from 'node:path';
import process from 'node:process';
import {
  compile,
  compiledStaleness,
  files,
  modified,
  ROOT,
  runOrExit,
} from '../build-when-stale.mjs';

/** What tsconfig.build.json compiles, and the files whose change changes its output. */
const SOURCE_DIRS = ['cmd', 'business', 'platform'];
const BUILD_INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
/** What client/web/build.mjs bundles (HTML and CSS too), and the file it writes last. */
const WEB_SOURCE_DIRS = ['client/web', 'client/core'];
const WEB_OUTPUT = 'dist/web/app.css';

/** Why the browser client's bundle is out of date, or undefined when it is not. */
function webStaleness() {
  if (modified('client/web/build.mjs') === undefined) return undefined;
  const built = modified(WEB_OUTPUT);
  if (built === undefined) return `${WEB_OUTPUT} is missing`;
  const changed = ['package-lock.json', ...WEB_SOURCE_DIRS.flatMap((dir) => files(dir))].find(
    (input) => modified(input) > built,
  );
  return changed === undefined ? undefined : `${changed} changed`;
}

const reason = compiledStaleness(SOURCE_DIRS, BUILD_INPUTS);
if (reason !== undefined) compile('tsconfig.build.json', '', reason);
const webReason = webStaleness();
if (webReason !== undefined) {
  process.stderr.write(`building the browser client (${webReason}) ...\n`);
  runOrExit(join(ROOT, 'client/web/build.mjs'));
}
await import('../../dist/cmd/server/main.js');
