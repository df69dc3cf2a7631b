import { readFileSync } from 'node:fs';
import { OptionValueError } from '../../platform/config/option-values.js';
import {
  configKey,
  longFlag,
  OPTION_LIST,
  type OptionSpec,
} from '../../platform/config/options.js';
import { closestName } from './closest-name.js';

/**
 * The `--config` JSON file: `{ "optionName": value }`, each key an option's long flag in
 * camelCase. Its values go through the option's own parser, so `{"port": "abc"}` is refused by
 * the same rule as `-p abc`; a switch takes `true` or `false`.
 */

/** A config file that cannot be used; the message names the file, and the key if one is bad. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

/** One setting the file gives: commander's name for the option, and its parsed value. */
export interface FileSetting {
  readonly key: string;
  readonly value: unknown;
}

/**
 * Reads and checks the whole file: every key must name an option and every value must be one
 * the option takes; the first that is not is the error.
 * @throws ConfigFileError
 */
export function readConfigFile(path: string): FileSetting[] {
  const byKey = new Map(OPTION_LIST.map((option) => [configKey(option), option]));
  return Object.entries(readSettings(path)).map(([key, value]) => {
    const option = byKey.get(key);
    const where = `"${key}" in ${path}`;
    if (option === undefined) {
      const meant = closestName(key, [...byKey.keys()]);
      const hint = meant === undefined ? '' : ` (did you mean "${meant}"?)`;
      throw new ConfigFileError(
        `unknown key ${where}${hint}; known keys: ${[...byKey.keys()].join(', ')}`,
      );
    }
    return { key, value: parseValue(option, value, where) };
  });
}

function readSettings(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`config file ${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new ConfigFileError(`config file ${path} must hold one JSON object`);
  }
  return settings as Record<string, unknown>;
}

function parseValue(option: OptionSpec<unknown>, value: unknown, where: string): unknown {
  let text: string;
  if (option.value.isSwitch) {
    if (typeof value !== 'boolean') throw new ConfigFileError(`${where} must be true or false`);
    text = String(value);
  } else if (typeof value === 'string' || typeof value === 'number') {
    text = String(value);
  } else {
    throw new ConfigFileError(`${where} must be a string or a number`);
  }
  try {
    return option.value.parse(text);
  } catch (error) {
    if (!(error instanceof OptionValueError)) throw error;
    throw new ConfigFileError(`${where} (${longFlag(option)}): ${error.message}`);
  }
}
