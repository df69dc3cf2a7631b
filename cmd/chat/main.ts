#!/usr/bin/env node
import { createInterface, type Interface } from 'node:readline';
import { ApiError } from '../../client/core/parley-api.js';
import type { Chat } from '../../client/terminal/chat.js';
import { type ChatView, HumanView, JsonView } from '../../client/terminal/chat-view.js';
import { parseChatCommandLine, USAGE_EXIT_CODE } from '../../client/terminal/options.js';
import { type CompleteOptions, completeOptions } from '../../client/terminal/prompts.js';
import { openRoomChat } from '../../client/terminal/room-chat.js';
import { LineScreen, PromptScreen, type Screen } from '../../client/terminal/screen.js';
import { PLAIN_STYLE, styleFor } from '../../client/terminal/style.js';
import { openTcpChat } from '../../client/terminal/tcp-chat.js';

/**
 * `parley-chat`: reads the options (asking for what is missing on a terminal), opens the chat
 * over WebSocket/SSE or the TCP line port, and wires stdin, stdout and Ctrl-C to it.
 */
async function main(): Promise<number> {
  const commandLine = parseChatCommandLine(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  });
  if (commandLine.kind === 'exit') return commandLine.code;
  const { stdin, stdout, stderr } = process;
  const json = commandLine.options.json;
  const terminal = stdin.isTTY && stdout.isTTY && !json;
  // Questions go where the person sees them: stderr when stdout is piped (`| tee log`).
  const output = terminal ? stdout : stdin.isTTY ? stderr : undefined;
  const readline = createInterface({ input: stdin, output, terminal, prompt: '' });
  const input = new TypedLines(readline);

  const ask = stdin.isTTY ? (question: string) => input.ask(question) : undefined;
  const options = await completeOptions(commandLine.options, ask);
  if ('missing' in options) {
    stderr.write(
      `error: missing ${options.missing.join(', ')} (stdin is not a terminal to ask on)\n`,
    );
    stderr.write('Run with --help to see every option.\n');
    return USAGE_EXIT_CODE;
  }

  const screen: Screen = json
    ? new LineScreen(stdout, stderr)
    : terminal
      ? new PromptScreen(readline, stdout)
      : new LineScreen(stdout);
  let chat: Chat | undefined;
  const reader = {
    style: json ? PLAIN_STYLE : styleFor(stdout),
    me: () => chat?.identity().name ?? '',
  };
  const prompt = (): string => (chat === undefined ? '' : promptOf(chat));
  const view: ChatView = json
    ? new JsonView(screen, reader)
    : new HumanView(screen, reader, options.to !== undefined);
  try {
    chat = await openChat(options, view, () => screen.setPrompt(prompt()));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    stderr.write(`error: ${error.message}\n`);
    return 1;
  }
  if (terminal) {
    screen.note([
      reader.style.status('-- Type to chat; /help lists the commands; Ctrl-C or /quit leaves.'),
    ]);
    screen.setPrompt(prompt());
  }
  input.attach(chat);
  const code = await chat.finished;
  screen.end();
  input.close();
  return code;
}

function openChat(options: CompleteOptions, view: ChatView, changed: () => void): Promise<Chat> {
  if (options.tcp !== undefined)
    return Promise.resolve(openTcpChat({ ...options, tcp: options.tcp }, view));
  return openRoomChat({ ...options, url: options.url ?? '' }, view, changed);
}

/** `#Lobby John> `: where and as whom the next line is said. */
function promptOf(chat: Chat): string {
  const { room, name } = chat.identity();
  return `#${room} ${name}> `;
}

/**
 * Stdin's lines and Ctrl-C, held until the chat is open (a piped stdin is read at once), then
 * handed to it in order. The end of input leaves after the last answer; the first Ctrl-C
 * leaves cleanly, a second one exits at once (130) — unless it comes within a second of the
 * first: under `npm run chat` a terminal's Ctrl-C reaches npm too, which forwards its copy.
 */
class TypedLines {
  readonly #readline: Interface;
  #chat: Chat | undefined;
  #held: string[] = [];
  #ended = false;
  #closing = false;
  #interruptedAt: number | undefined;

  constructor(readline: Interface) {
    this.#readline = readline;
    readline.on('line', (line) =>
      this.#chat === undefined ? this.#held.push(line) : this.#chat.send(line),
    );
    readline.on('close', () => {
      if (this.#closing) return;
      this.#ended = true;
      this.#chat?.endOfInput();
    });
    readline.on('SIGINT', () => this.#interrupt());
    process.on('SIGINT', () => this.#interrupt());
  }

  ask(question: string): Promise<string> {
    return new Promise((resolve) => this.#readline.question(question, resolve));
  }

  attach(chat: Chat): void {
    this.#chat = chat;
    for (const line of this.#held) chat.send(line);
    this.#held = [];
    if (this.#ended) chat.endOfInput();
  }

  close(): void {
    this.#closing = true;
    this.#readline.close();
  }

  #interrupt(): void {
    const now = Date.now();
    if (this.#interruptedAt !== undefined && now - this.#interruptedAt < 1000) return;
    if (this.#chat === undefined || this.#interruptedAt !== undefined) process.exit(130);
    this.#interruptedAt = now;
    this.#chat.leave();
  }
}

main().then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (error: unknown) => {
    process.stderr.write(
      `parley-chat: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
