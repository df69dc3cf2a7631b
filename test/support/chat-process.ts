import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled terminal client, as `parley-chat` runs it. */
export const CHAT_MAIN = fileURLToPath(new URL('../../cmd/chat/main.js', import.meta.url));

/** Chat processes still running, so that a failed test leaves none behind. */
const running = new Set<ChildProcess>();

/** Kills every chat process a test left running. */
export function killLeftoverChats(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * `parley-chat` as a real child process driven through its stdin and stdout: a test writes
 * lines and waits for what the program prints.
 */
export class ChatProcess {
  #stdout = '';
  #stderr = '';
  readonly exited: Promise<number | string>;

  private constructor(readonly process: ChildProcess) {
    running.add(process);
    process.stdout?.setEncoding('utf8').on('data', (text: string) => (this.#stdout += text));
    process.stderr?.setEncoding('utf8').on('data', (text: string) => (this.#stderr += text));
    process.stdin?.on('error', () => undefined);
    this.exited = new Promise((resolve) =>
      process.once('exit', (code, signal) => {
        running.delete(process);
        resolve(code ?? signal ?? 'unknown');
      }),
    );
  }

  /** Runs `node main.js …args` with stdin, stdout and stderr as pipes (not a terminal). */
  static start(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChatProcess {
    return new ChatProcess(
      spawn(process.execPath, [CHAT_MAIN, ...args], {
        env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
  }

  /**
   * Runs it under a pseudo-terminal (util-linux `script`): stdin and stdout are a real
   * terminal to the program; what the test writes is typed, and the output holds the echo.
   */
  static startInTerminal(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChatProcess {
    const command = [process.execPath, CHAT_MAIN, ...args].map(shellQuote).join(' ');
    return new ChatProcess(
      spawn('script', ['-qfec', command, '/dev/null'], {
        // CI unset: Node takes a terminal for two colours (none) when CI is set and names no CI
        // it knows (tty.WriteStream.getColorDepth); a person's terminal has no CI variable.
        env: { ...process.env, TERM: 'xterm', NO_COLOR: undefined, CI: undefined, ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
  }

  /** Everything printed on stdout so far. */
  get stdout(): string {
    return this.#stdout;
  }

  get stderr(): string {
    return this.#stderr;
  }

  /** Stdout's complete lines, without carriage returns. */
  get lines(): string[] {
    return this.#stdout
      .split('\n')
      .slice(0, -1)
      .map((line) => line.replace(/\r$/, ''));
  }

  /** Types one line. */
  type(line: string): void {
    this.process.stdin?.write(`${line}\n`);
  }

  /** Closes stdin: the end of a piped input. */
  endInput(): void {
    this.process.stdin?.end();
  }

  /** Waits until stdout (or stderr) holds a match; throws, showing both, when it does not. */
  async waitFor(
    pattern: RegExp,
    timeoutMs = 5000,
    stream: 'stdout' | 'stderr' = 'stdout',
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(stream === 'stdout' ? this.#stdout : this.#stderr)) {
      if (Date.now() > deadline) {
        throw new Error(
          `no ${String(pattern)} on ${stream}\nstdout:\n${this.#stdout}\nstderr:\n${this.#stderr}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The exit code (or signal), failing after `timeoutMs`. */
  async exitCode(timeoutMs = 5000): Promise<number | string> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`still running\nstdout:\n${this.#stdout}\nstderr:\n${this.#stderr}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
