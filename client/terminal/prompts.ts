import type { ChatOptions } from './options.js';
import { parseServerAddress } from './options.js';

/** The options a chat cannot start without, all present. */
export interface CompleteOptions extends ChatOptions {
  readonly room: string;
  readonly name: string;
}

/** Asks one question and resolves with the answer (readline's `question`). */
export type Ask = (question: string) => Promise<string>;

/** The server asked for when none is given (Parley's default port). */
export const DEFAULT_SERVER = 'http://localhost:8080';

/**
 * Fills in what the command line left out, as Chatrm's client does, by asking: the server
 * (unless `--tcp` names one), the nickname and the room. Without a terminal to ask on (`ask`
 * undefined) it returns the flags that are missing instead.
 */
export async function completeOptions(
  options: ChatOptions,
  ask: Ask | undefined,
): Promise<CompleteOptions | { readonly missing: string[] }> {
  const missing = [
    options.tcp === undefined && options.url === undefined ? '--url' : '',
    options.name === undefined ? '--name' : '',
    options.room === undefined ? '--room' : '',
  ].filter((flag) => flag !== '');
  if (missing.length === 0) return options as CompleteOptions;
  if (ask === undefined) return { missing };
  const url = options.tcp === undefined ? (options.url ?? (await askServer(ask))) : options.url;
  const name = options.name ?? (await askUntilAnswered(ask, 'Your nickname: '));
  const room =
    options.room ??
    (await askUntilAnswered(ask, 'Room (a name or an id; a new name creates the room): '));
  return { ...options, ...(url === undefined ? {} : { url }), name, room };
}

async function askServer(ask: Ask): Promise<string> {
  for (;;) {
    const answer = (await ask(`Server [${DEFAULT_SERVER}]: `)).trim();
    const url = parseServerAddress(answer === '' ? DEFAULT_SERVER : answer);
    if (url !== undefined) return url;
  }
}

async function askUntilAnswered(ask: Ask, question: string): Promise<string> {
  for (;;) {
    const answer = (await ask(question)).trim();
    if (answer !== '') return answer;
  }
}
