import type { DrivenClient, SeenLeave } from './driven-client.js';

export const MESSAGE = /^\[[^\]]+\] <([^>]+)> (.*)$/;
const PRIVATE = /^\[private(?: to [^\]]+)?\] <([^>]+)> (.*)$/;
export const ERROR = /^! error ([a-z_]+): /;
const JOINED = /^\* (.+) joined #/;
const LEFT = /^\* (.+) left(?: \((.+)\))?$/;
const REPLIES: [RegExp, string][] = [
  [/^\* In #/, 'participants'],
  [/^\* Commands/, 'help'],
  [/^\* The last /, 'history'],
  [/^\* (Rooms \(|No rooms)/, 'rooms'],
  [/^\* You are ignoring/, 'ignored'],
  [/^\* Good Bye, come back again\.$/, 'goodbye'],
];
const SHUTDOWN = '*** The server is shutting down. Goodbye.';

/** What the telnet dialogue needs from a connection, whatever carries its lines. */
export interface LineConnection {
  /** Every line received so far. */
  readonly lines: readonly string[];
  send(line: string): void;
  readonly ended: Promise<void>;
  stopReading(): void;
  /** Leaves properly (half-close, a close frame) and waits for the server to close. */
  finish(): Promise<void>;
  /** Goes without a word. */
  drop(): void;
}

/** A person in the telnet dialogue, its lines read back into what it was shown. */
export class LineDrivenClient implements DrivenClient {
  readonly ended: Promise<void>;

  constructor(
    readonly name: string,
    private readonly client: LineConnection,
  ) {
    this.ended = client.ended;
  }

  send(text: string): void {
    this.client.send(text);
  }

  messages(): string[] {
    return this.afterOwnJoin().flatMap((line) => match(MESSAGE, line, 2));
  }

  // Lines before its own join are the history it was replayed.
  history(): string[] {
    const own = this.ownJoin();
    return this.client.lines.slice(0, Math.max(own, 0)).flatMap((line) => match(MESSAGE, line, 2));
  }

  privateMessages(): string[] {
    return this.client.lines.flatMap((line) => match(PRIVATE, line, 2));
  }

  errors(): string[] {
    return this.client.lines.flatMap((line) => match(ERROR, line, 1));
  }

  replies(): string[] {
    return this.client.lines.flatMap((line) =>
      REPLIES.filter(([pattern]) => pattern.test(line)).map(([, kind]) => kind),
    );
  }

  joins(): string[] {
    return this.client.lines.flatMap((line) => match(JOINED, line, 1));
  }

  leaves(): SeenLeave[] {
    return this.client.lines.flatMap((line) => {
      const found = LEFT.exec(line);
      if (found === null || MESSAGE.test(line)) return [];
      const reason = found[2] === undefined ? 'quit' : found[2].replaceAll(' ', '_');
      return [{ participant: found[1] ?? '', reason }];
    });
  }

  shutdownNotices(): number {
    return this.client.lines.filter((line) => line === SHUTDOWN).length;
  }

  stopReading(): void {
    this.client.stopReading();
  }

  closeCleanly(): Promise<void> {
    return this.client.finish();
  }

  drop(): void {
    this.client.drop();
  }

  private ownJoin(): number {
    return this.client.lines.findIndex((line) => line.startsWith(`* ${this.name} joined #`));
  }

  private afterOwnJoin(): string[] {
    return this.client.lines.slice(this.ownJoin() + 1);
  }
}

function match(pattern: RegExp, line: string, group: number): string[] {
  const found = pattern.exec(line);
  return found === null ? [] : [found[group] === undefined ? '' : found[group]];
}
