import { readFileSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { closestName } from './closest-name.js';

/**
 * The layers under the command line: environment variables and a config file. Each option can
 * be set in all three; a flag beats its variable, which beats the file, which beats the default.
 * Values from every layer go through the option's own parser, so `PARLEY_PORT=abc` and
 * `{"port":"abc"}` are refused with the same rule as `-p abc`.
 */

/** A setting that cannot be used; the message names where it came from. */
export class ConfigSourceError extends Error {
  override readonly name = 'ConfigSourceError';
}

/** Options the layers never set: they only make sense on a command line. */
const COMMAND_LINE_ONLY = new Set(['config', 'help', 'version']);

/** `dataDir` → `PARLEY_DATA_DIR`. */
export function environmentName(option: Option): string {
  return `PARLEY_${option
    .attributeName()
    .replace(/[A-Z]/g, (c) => `_${c}`)
    .toUpperCase()}`;
}

/** The options an environment variable or a config file key can set. */
export function layeredOptions(program: Command): Option[] {
  return program.options.filter((option) => !COMMAND_LINE_ONLY.has(option.attributeName()));
}

/**
 * Fills options still at their default from `PARLEY_*` variables. `PORT` is read too, below
 * `PARLEY_PORT`, because platforms that assign a port (Heroku, Cloud Run) set that one.
 */
export function applyEnvironment(program: Command, env: NodeJS.ProcessEnv): void {
  for (const option of layeredOptions(program)) {
    const name = environmentName(option);
    const raw = env[name] ?? (name === 'PARLEY_PORT' ? env['PORT'] : undefined);
    if (raw === undefined || raw === '') continue;
    fill(program, option, parseText(option, raw, `environment variable ${name}`), 'env');
  }
}

/**
 * A warning for each `PARLEY_*` variable that sets nothing: a typo (`PARLEY_PROT`) or an option
 * only the command line takes (`PARLEY_CONFIG`). The server still starts; these only say why
 * the setting made no difference.
 */
export function environmentWarnings(program: Command, env: NodeJS.ProcessEnv): string[] {
  const known = layeredOptions(program).map(environmentName);
  const commandLineOnly = program.options.filter((o) => !known.includes(environmentName(o)));
  const warnings: string[] = [];
  for (const name of Object.keys(env)
    .filter((n) => n.startsWith('PARLEY_'))
    .sort()) {
    if (known.includes(name)) continue;
    const flagOnly = commandLineOnly.find((option) => environmentName(option) === name);
    if (flagOnly !== undefined) {
      warnings.push(`${name} is ignored: ${flagOnly.long} is read from the command line only`);
      continue;
    }
    const meant = closestName(name, known);
    const hint = meant === undefined ? '' : ` (did you mean ${meant}?)`;
    warnings.push(`${name} is ignored: no option has that name${hint}`);
  }
  return warnings;
}

/** Fills options still at their default from a JSON config file of `{ "optionName": value }`. */
export function applyConfigFile(program: Command, path: string): void {
  const settings = readSettings(path);
  const byKey = new Map(layeredOptions(program).map((o) => [o.attributeName(), o]));
  for (const [key, value] of Object.entries(settings)) {
    const option = byKey.get(key);
    const where = `"${key}" in ${path}`;
    if (option === undefined) {
      const known = [...byKey.keys()].join(', ');
      throw new ConfigSourceError(`unknown key ${where}; known keys: ${known}`);
    }
    fill(program, option, parseJsonValue(option, value, where), 'config');
  }
}

function readSettings(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigSourceError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let settings: unknown;
  try {
    settings = JSON.parse(text);
  } catch (error) {
    throw new ConfigSourceError(`config file ${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new ConfigSourceError(`config file ${path} must hold one JSON object`);
  }
  return settings as Record<string, unknown>;
}

// Only a default may be replaced: what the command line (or a higher layer) set stays.
function fill(program: Command, option: Option, value: unknown, source: 'env' | 'config'): void {
  const key = option.attributeName();
  if (program.getOptionValueSource(key) === 'cli') return;
  if (source === 'config' && program.getOptionValueSource(key) === 'env') return;
  program.setOptionValueWithSource(key, value, source);
}

function parseJsonValue(option: Option, value: unknown, where: string): unknown {
  if (option.isBoolean()) {
    if (typeof value !== 'boolean') throw new ConfigSourceError(`${where} must be true or false`);
    return value;
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ConfigSourceError(`${where} must be a string or a number`);
  }
  return parseText(option, String(value), where);
}

function parseText(option: Option, raw: string, where: string): unknown {
  if (option.isBoolean()) {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ConfigSourceError(`${where} must be true or false, not "${raw}"`);
  }
  if (option.parseArg === undefined) return raw;
  try {
    return option.parseArg(raw, undefined as never);
  } catch (error) {
    throw new ConfigSourceError(
      `${where} (${option.long ?? option.flags}): ${(error as Error).message}`,
    );
  }
}
