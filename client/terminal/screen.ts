import { type Interface, clearScreenDown, cursorTo, moveCursor } from 'node:readline';

/** Where a chat is shown: lines printed above the line being typed. */
export interface Screen {
  /** Prints lines to the conversation, keeping the prompt and what is being typed intact. */
  print(lines: readonly string[]): void;
  /** Prints lines of the client's own (connection state, problems) apart from the conversation. */
  note(lines: readonly string[]): void;
  /** Changes the prompt (after `/nick` or `/join`). */
  setPrompt(prompt: string): void;
  /** The chat is over: the prompt is erased, so the shell's comes on a clean line. */
  end(): void;
}

/**
 * The conversation on a terminal under a readline prompt: each print erases the prompt and
 * what is typed (as many rows as it wraps to), writes the lines, then redraws both with the
 * cursor where it was, so an arriving message never mixes with the typing.
 */
export class PromptScreen implements Screen {
  constructor(
    private readonly readline: Interface,
    private readonly output: NodeJS.WriteStream,
  ) {}

  print(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const { rows } = this.readline.getCursorPos();
    moveCursor(this.output, 0, -rows);
    cursorTo(this.output, 0);
    clearScreenDown(this.output);
    this.output.write(`${lines.join('\n')}\n`);
    this.readline.prompt(true);
  }

  note(lines: readonly string[]): void {
    this.print(lines);
  }

  setPrompt(prompt: string): void {
    this.readline.setPrompt(prompt);
    this.readline.prompt(true);
  }

  end(): void {
    const { rows } = this.readline.getCursorPos();
    moveCursor(this.output, 0, -rows);
    cursorTo(this.output, 0);
    clearScreenDown(this.output);
  }
}

/**
 * The conversation written as plain lines (stdin or stdout is not a terminal): no prompt to
 * keep. Notes go where `notes` says: stdout with the conversation, or stderr under `--json`
 * so that stdout holds only events.
 */
export class LineScreen implements Screen {
  constructor(
    private readonly output: NodeJS.WritableStream,
    private readonly notes: NodeJS.WritableStream = output,
  ) {}

  print(lines: readonly string[]): void {
    if (lines.length > 0) this.output.write(`${lines.join('\n')}\n`);
  }

  note(lines: readonly string[]): void {
    if (lines.length > 0) this.notes.write(`${lines.join('\n')}\n`);
  }

  setPrompt(): void {
    // no prompt
  }

  end(): void {
    // nothing to erase
  }
}
