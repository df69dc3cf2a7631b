import { parseInput } from './command.js';
import type { CommandReply, CommandRunner } from './command-runner.js';
import type { Membership } from './membership.js';

/** How one input ended: its reply (if it has one), or the error it was refused with. */
export type InputOutcome<R = CommandReply | undefined> =
  { readonly ok: true; readonly reply: R } | { readonly ok: false; readonly error: unknown };

/**
 * What kind of input a dialect's request is: a message to a room (may start at once behind
 * other messages, for group commit) or anything else (waits until everything before it has
 * taken effect).
 */
export type InputKind = 'message' | 'command';

/**
 * One client's inputs, taking effect and answered in the order the client sent them: a
 * private message never overtakes the message typed before it, a `/nick` applies to the
 * messages after it and not before, and `/quit` is answered after everything sent ahead of it.
 *
 * Messages to the room are handed over as soon as nothing but messages is ahead of them, so a
 * burst is stored in one group commit (the store keeps their order); any other input waits
 * until everything before it has taken effect. Outcomes are handed to `settled` strictly in
 * input order.
 */
export class ClientInputs {
  /** Settles once every input submitted so far has been handed to its `settled`. */
  private tail: Promise<void> = Promise.resolve();
  /** Inputs other than messages that have not settled yet. */
  private unsettledCommands = 0;

  constructor(private readonly runner: CommandRunner) {}

  /**
   * Runs `line` for the membership current when its turn comes (a `/join` ahead of it may move
   * the client to another room), then hands its outcome to `settled`. Resolves once it has.
   * `settled` handles its own failures: one that throws is not called again for later inputs'
   * sake, and later inputs still settle.
   */
  submit(
    line: string,
    membership: () => Membership | undefined,
    settled: (outcome: InputOutcome) => void,
  ): Promise<void> {
    const run = (): Promise<CommandReply | undefined> => this.runner.run(membership(), line);
    return this.perform(isRoomMessage(line) ? 'message' : 'command', run, settled);
  }

  /**
   * Runs a request that is not a line (a dialect's own, e.g. chattypantz's join of another
   * room) in its turn among the same inputs, under the same rules as `submit`, and hands its
   * outcome to `settled`. Resolves once it has.
   */
  perform<R>(
    kind: InputKind,
    run: () => Promise<R>,
    settled: (outcome: InputOutcome<R>) => void,
  ): Promise<void> {
    const isMessage = kind === 'message';
    const startNow = isMessage && this.unsettledCommands === 0;
    if (!isMessage) this.unsettledCommands++;
    const outcome = settle(startNow ? run() : this.tail.then(run));
    const done = this.tail
      .then(() => outcome)
      .then((result) => {
        if (!isMessage) this.unsettledCommands--;
        settled(result);
      });
    this.tail = done.catch(() => undefined);
    return this.tail;
  }

  /** Settles once every input submitted so far has been answered. */
  idle(): Promise<void> {
    return this.tail;
  }
}

function isRoomMessage(line: string): boolean {
  try {
    return parseInput(line).kind === 'say';
  } catch {
    return false; // a malformed command: its error takes its turn like any command
  }
}

function settle<R>(work: Promise<R>): Promise<InputOutcome<R>> {
  return work.then(
    (reply): InputOutcome<R> => ({ ok: true, reply }),
    (error: unknown): InputOutcome<R> => ({ ok: false, error }),
  );
}
