/**
 * The kinds of value an option takes. Each turns the text an operator wrote (a flag, a variable,
 * a config file value) into the configuration's value in the configuration's unit — seconds
 * become milliseconds, MB become bytes — and shows a value back in the operator's unit, so that
 * `--help` and the README print the defaults the way they would be typed.
 */

/** A value that breaks its option's rule; the message says what was expected. */
export class OptionValueError extends Error {
  override readonly name = 'OptionValueError';
}

/** How one option's text becomes its configuration value, and back. */
export interface ValueKind<T> {
  /**
   * Text → the configuration's value.
   * @throws OptionValueError saying what was expected ("expected a whole number from 0 to 9.")
   */
  parse(text: string): T;
  /** A value as help and the README print it: numbers bare, text quoted, switches on/off. */
  show(value: T): string;
  /** An on/off switch: its flag takes an optional on|off, a config file gives true or false. */
  readonly isSwitch: boolean;
}

/** A whole number within bounds. */
export function wholeNumber(min: number, max: number): ValueKind<number> {
  return {
    parse: (text) => {
      const number = Number(text);
      if (!/^\d+$/.test(text.trim()) || number < min || number > max) {
        throw new OptionValueError(`expected a whole number from ${min} to ${max}.`);
      }
      return number;
    },
    show: String,
    isSwitch: false,
  };
}

/** Seconds, fractions allowed, read into milliseconds: the configuration's unit of time. */
export function seconds(rule: { above: number } | { atLeast: number }): ValueKind<number> {
  const [accept, said] =
    'above' in rule
      ? [(s: number) => s > rule.above, `above ${rule.above}`]
      : [(s: number) => s >= rule.atLeast, `at least ${rule.atLeast}`];
  return {
    parse: (text) => {
      const number = Number(text);
      if (text.trim() === '' || !Number.isFinite(number) || !accept(number)) {
        throw new OptionValueError(`expected a number of seconds, ${said}.`);
      }
      return Math.round(number * 1000);
    },
    show: (ms) => String(ms / 1000),
    isSwitch: false,
  };
}

/** A number of things per second, fractions allowed; 0 allowed (the option's "off"). */
export function perSecond(max: number): ValueKind<number> {
  return {
    parse: (text) => {
      const number = Number(text);
      if (text.trim() === '' || !Number.isFinite(number) || number < 0 || number > max) {
        throw new OptionValueError(`expected a number per second from 0 to ${max}.`);
      }
      return number;
    },
    show: String,
    isSwitch: false,
  };
}

const MB = 1024 * 1024;

/** Whole megabytes (MiB), read into bytes. */
export function megabytes(max: number): ValueKind<number> {
  const count = wholeNumber(0, max);
  return {
    parse: (text) => count.parse(text) * MB,
    show: (bytes) => String(bytes / MB),
    isSwitch: false,
  };
}

/** Any text, taken as written (an empty one too). */
export const text: ValueKind<string> = {
  parse: (value) => value,
  show: (value) => JSON.stringify(value),
  isSwitch: false,
};

/** A Redis URL: `redis://HOST:PORT/DB` (or `rediss://` for TLS), credentials allowed. */
export const redisUrl: ValueKind<string> = {
  parse: (value) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    const db = url?.pathname.replace(/^\//, '') ?? '';
    if (url === undefined || !['redis:', 'rediss:'].includes(url.protocol) || !/^\d*$/.test(db)) {
      throw new OptionValueError('expected a Redis URL: redis://HOST:PORT/DB.');
    }
    return value;
  },
  show: (value) => JSON.stringify(value),
  isSwitch: false,
};

/** One of a fixed set of words. */
export function oneOf<const T extends string>(choices: readonly T[]): ValueKind<T> {
  return {
    parse: (value) => {
      const choice = choices.find((c) => c === value);
      if (choice === undefined) {
        throw new OptionValueError(`expected one of ${choices.join(', ')}.`);
      }
      return choice;
    },
    show: (value) => JSON.stringify(value),
    isSwitch: false,
  };
}

/**
 * A switch: on/true/yes/1 or off/false/no/0, any case, read into the configuration's two values
 * (`true`/`false`, or `'debug'`/`'info'` for a log level).
 */
export function onOff<T>(on: T, off: T): ValueKind<T> {
  return {
    parse: (value) => {
      if (/^(on|true|yes|1)$/i.test(value)) return on;
      if (/^(off|false|no|0)$/i.test(value)) return off;
      throw new OptionValueError('expected on or off (or true/false, yes/no, 1/0).');
    },
    show: (value) => (value === on ? 'on' : 'off'),
    isSwitch: true,
  };
}

/** The same kind, for an option that may be left unset (then `undefined`: a feature off). */
export function orUnset<T>(kind: ValueKind<T>): ValueKind<T | undefined> {
  return {
    parse: (value) => kind.parse(value),
    show: (value) => (value === undefined ? '' : kind.show(value)),
    isSwitch: kind.isSwitch,
  };
}
