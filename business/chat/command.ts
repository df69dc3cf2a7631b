import { ChatError } from './chat-error.js';
import { HISTORY_PAGE_MAX } from './history-page.js';
import { roomReference } from './room.js';

/**
 * What a line of input asks for. A line that starts with `/` is a command; any other line, and
 * `//text` (which sends the literal `/text`), is a message to the room.
 */
export type Command =
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'help' }
  | { readonly kind: 'list' }
  | { readonly kind: 'rooms' }
  | { readonly kind: 'history'; readonly count: number }
  | { readonly kind: 'quit'; readonly reason: string }
  | { readonly kind: 'msg'; readonly to: string; readonly text: string }
  | { readonly kind: 'ignore' | 'unignore'; readonly nickname: string }
  | { readonly kind: 'ignored' }
  | { readonly kind: 'nick'; readonly name: string }
  | { readonly kind: 'join'; readonly room: string };

/** One command as `/help` describes it. */
export interface CommandHelp {
  readonly name: string;
  readonly syntax: string;
  readonly description: string;
}

/** Messages `/history` shows when it is not told how many. */
export const HISTORY_COMMAND_DEFAULT = 15;

/** Every command, in the order `/help` lists them. */
export const COMMANDS: readonly CommandHelp[] = [
  { name: 'help', syntax: '/help', description: 'list the commands' },
  { name: 'list', syntax: '/list', description: 'who is in this room' },
  { name: 'rooms', syntax: '/rooms', description: 'every room, with how many are in it' },
  {
    name: 'history',
    syntax: `/history [n]`,
    description: `the last n messages of this room (default ${HISTORY_COMMAND_DEFAULT}, at most ${HISTORY_PAGE_MAX})`,
  },
  {
    name: 'join',
    syntax: '/join #room',
    description: 'leave this room for another, by name or id (a new name creates the room)',
  },
  { name: 'nick', syntax: '/nick newname', description: 'take another nickname in this room' },
  {
    name: 'msg',
    syntax: '/msg @nick text',
    description: 'a private message to someone in this room',
  },
  {
    name: 'ignore',
    syntax: '/ignore @nick',
    description: "stop seeing someone's messages (they are not told)",
  },
  { name: 'unignore', syntax: '/unignore @nick', description: "see someone's messages again" },
  { name: 'ignored', syntax: '/ignored', description: 'whom you are ignoring' },
  { name: 'quit', syntax: '/quit [reason]', description: 'say goodbye and leave' },
];

/**
 * Reads one line of input.
 * @throws ChatError `unknown_command` (naming `/help`) or `invalid_command` (with the syntax).
 * @example parseInput('/history 5') // { kind: 'history', count: 5 }
 * @example parseInput('//shrug')    // { kind: 'say', text: '/shrug' }
 */
export function parseInput(line: string): Command {
  if (line.charCodeAt(0) !== SLASH) return { kind: 'say', text: line };
  if (line.charCodeAt(1) === SLASH) return { kind: 'say', text: line.slice(1) };
  const [word = '', ...rest] = line.slice(1).trim().split(/\s+/);
  const args = rest.filter((arg) => arg !== '');
  const name = word.toLowerCase();
  const remainder = line.slice(1).trim().slice(word.length).trim(); // everything after the word
  switch (name) {
    case 'help':
    case 'list':
    case 'rooms':
    case 'ignored':
      noArguments(name, args);
      return { kind: name };
    case 'msg':
      return privateMessage(line);
    case 'nick':
      if (args.length !== 1) throw invalid(name, '/nick takes one nickname');
      return { kind: 'nick', name: args[0] ?? '' };
    case 'join': {
      const room = roomReference(remainder);
      if (room === '') throw invalid(name, '/join takes a room name or id');
      return { kind: 'join', room };
    }
    case 'ignore':
    case 'unignore':
      if (args.length !== 1) throw invalid(name, `/${name} takes one nickname`);
      return { kind: name, nickname: withoutAt(args[0] ?? '') };
    case 'history':
      return { kind: 'history', count: historyCount(args) };
    case 'quit':
      return { kind: 'quit', reason: remainder };
    default:
      throw new ChatError(
        'unknown_command',
        `there is no /${word} command; /help lists them (start a message with // to send a /)`,
      );
  }
}

const SLASH = 0x2f;

// `/msg @nick text`: the text is kept as typed after the nickname (only the separating space
// goes).
function privateMessage(line: string): Command {
  const match = /^\/\S+\s+(\S+)\s(.*)$/s.exec(line);
  const to = match?.[1];
  const text = match?.[2];
  if (to === undefined || text === undefined || text.trim() === '') {
    throw invalid('msg', '/msg takes a nickname and a message');
  }
  return { kind: 'msg', to: withoutAt(to), text };
}

function withoutAt(nickname: string): string {
  return nickname.startsWith('@') ? nickname.slice(1) : nickname;
}

function noArguments(name: string, args: string[]): void {
  if (args.length > 0) throw invalid(name, `/${name} takes no arguments`);
}

function historyCount(args: string[]): number {
  if (args.length === 0) return HISTORY_COMMAND_DEFAULT;
  const [count] = args;
  if (args.length > 1 || count === undefined || !/^\d{1,4}$/.test(count)) {
    throw invalid('history', `/history takes one number`);
  }
  const n = Number(count);
  if (n < 1 || n > HISTORY_PAGE_MAX) {
    throw invalid('history', `/history takes a number from 1 to ${HISTORY_PAGE_MAX}`);
  }
  return n;
}

function invalid(name: string, problem: string): ChatError {
  const syntax = COMMANDS.find((command) => command.name === name)?.syntax ?? `/${name}`;
  return new ChatError('invalid_command', `${problem}; usage: ${syntax}`);
}
