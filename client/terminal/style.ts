import { styleText } from 'node:util';

/** How each kind of text looks: coloured on a terminal, plain otherwise. */
export interface Style {
  /** Another person's nickname. */
  name(text: string): string;
  /** Our own nickname. */
  self(text: string): string;
  /** Times, replayed history, secondary details. */
  dim(text: string): string;
  /** Presence and command replies (`* …`). */
  notice(text: string): string;
  /** Private messages. */
  private(text: string): string;
  /** Errors and refusals. */
  error(text: string): string;
  /** The connection's state and server notices. */
  status(text: string): string;
}

const same = (text: string): string => text;

/** No colours: for pipes, files, `NO_COLOR` and `--json`. */
export const PLAIN_STYLE: Style = {
  name: same,
  self: same,
  dim: same,
  notice: same,
  private: same,
  error: same,
  status: same,
};

/** ANSI colours (through `node:util` styleText). */
export const COLOUR_STYLE: Style = {
  name: (text) => styleText('cyan', text),
  self: (text) => styleText(['bold', 'green'], text),
  dim: (text) => styleText('gray', text),
  notice: (text) => styleText('yellow', text),
  private: (text) => styleText('magenta', text),
  error: (text) => styleText(['bold', 'red'], text),
  status: (text) => styleText('blue', text),
};

/**
 * Colours only on a terminal that takes them: `hasColors()` is false for `NO_COLOR`,
 * `NODE_DISABLE_COLORS` and `TERM=dumb`, true for `FORCE_COLOR` (Node's own rules).
 */
export function styleFor(stream: NodeJS.WriteStream): Style {
  return stream.isTTY && stream.hasColors() ? COLOUR_STYLE : PLAIN_STYLE;
}
