// `npm run chat`: compiles the terminal client only when a source is newer than what was
// compiled from it (tsconfig.chat.json: the client alone, a few seconds), then runs it in this
// same process, as cmd/server/start.mjs does for the server.
import { compile, compiledStaleness } from '../build-when-stale.mjs';

/** What tsconfig.chat.json compiles, and the files whose change changes its output. */
const SOURCE_DIRS = ['cmd/chat', 'client/core', 'client/node', 'client/terminal'];
const BUILD_INPUTS = [
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.chat.json',
  'package-lock.json',
];

const reason = compiledStaleness(SOURCE_DIRS, BUILD_INPUTS);
if (reason !== undefined) compile('tsconfig.chat.json', ' the terminal client', reason);
await import('../../dist/cmd/chat/main.js');
