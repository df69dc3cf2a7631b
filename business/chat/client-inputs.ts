import { parseInput } from './command.js';
import type { CommandReply, CommandRunner } from './command-runner.js';
import type { Membership } from './membership.js';

/** How one input ended: its reply (if it has one), or the error it was refused with. */
export type InputOutcome =
  | { readonly ok: true; readonly reply: CommandReply | undefined }
  | { readonly ok: false; readonly error: unknown };

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
    const isMessage = isRoomMessage(line);
    const run = (): Promise<CommandReply | undefined> => this.runner.run(membership(), line);
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

function settle(work: Promise<CommandReply | undefined>): Promise<InputOutcome> {
  return work.then(
    (reply) => ({ ok: true, reply }),
    (error: unknown) => ({ ok: false, error }),
  );
}
