import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { OptionValueError, type ValueKind } from '../../platform/config/option-values.js';
import {
  COMMAND_LINE_ONLY,
  configKey,
  environmentVariable,
  OPTION_LIST,
  type OptionSpec,
} from '../../platform/config/options.js';
import { crossCheck, type ParleyConfig } from '../../platform/config/parley-config.js';
import { ConfigFileError, readConfigFile } from './config-file.js';
import { environmentWarnings } from './environment-warnings.js';

/** What the command line asks for: run with a configuration, or exit with a code. */
export type CliOutcome = { kind: 'run'; config: ParleyConfig } | { kind: 'exit'; code: number };

/** Where help, version and errors are written (stdout and stderr in production). */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Exit code for bad usage, as BSD sysexits and most Unix tools use. */
export const USAGE_EXIT_CODE = 2;

/**
 * Parses flags, `PARLEY_*` environment variables (read from `process.env`) and the `--config`
 * file into a validated configuration. The precedence is commander's: a flag beats its variable,
 * which beats the file (set before the parse, as the `config` source), which beats the default.
 * Help and version exit 0; any bad flag, variable, key or value prints the problem (naming where
 * it came from) and a pointer to --help on stderr and exits 2. A `PARLEY_*` variable that names
 * no option is warned about, not refused.
 * @example parseCommandLine(['-p', '0', '--storage', 'memory'], output, '1.0.0')
 */
export function parseCommandLine(
  argv: readonly string[],
  output: CliOutput,
  version: string,
): CliOutcome {
  const program = describeCommand(version, output);
  // A bad file is told after the parse, so that --help and bad flags still come first.
  let problem = presetLowerLayers(program, configFileIn(argv, version));
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError)
      return { kind: 'exit', code: error.exitCode === 0 ? 0 : USAGE_EXIT_CODE };
    throw error;
  }
  for (const warning of environmentWarnings(process.env)) output.err(`warning: ${warning}\n`);
  const config = toConfig(program);
  problem ??= crossCheck(config);
  if (problem === undefined) return { kind: 'run', config };
  output.err(`error: ${problem}\n${HELP_HINT}\n`);
  return { kind: 'exit', code: USAGE_EXIT_CODE };
}

/**
 * Said after a usage error instead of the whole help: the error is the one line that matters,
 * and sixty lines of options below it would push it off the screen.
 */
const HELP_HINT = 'Run with --help to see every option.';

const ENVIRONMENT_HELP = `
Every option but --config, --help and --version can also be set by its environment variable
(env: above; PORT is read too, below PARLEY_PORT) or by a key in the --config JSON file (the
long name in camelCase: {"port": 8080, "dataDir": "./data", "debug": true}). A flag beats its
variable, which beats the file, which beats the default. A switch takes on or off (--debug off,
PARLEY_DEBUG=off).
`;

function describeCommand(version: string, output: CliOutput): Command {
  const { config, version: versionFlag, help } = COMMAND_LINE_ONLY;
  const program = new Command('parley')
    .description('Parley: real-time chat rooms over WebSocket (Chatty-compatible).')
    .version(version, versionFlag.flags, versionFlag.help)
    .helpOption(help.flags, help.help)
    .option(config.flags, config.help)
    .combineFlagAndOptionalValue(false) // -dN is -d -N, as before switches took on|off
    .addHelpText('after', ENVIRONMENT_HELP)
    .exitOverride()
    .showHelpAfterError(HELP_HINT)
    .configureOutput({
      writeOut: (text) => output.out(text),
      writeErr: (text) => output.err(text),
    });
  for (const option of OPTION_LIST) program.addOption(commanderOption(option));
  return program;
}

/** The commander option for a declared one: its parser, shown default, and variable. */
function commanderOption(spec: OptionSpec<unknown>): Option {
  const option = new Option(spec.flags, spec.help).argParser(commanderParser(spec.value));
  if (spec.default !== undefined) option.default(spec.default, spec.value.show(spec.default));
  if (spec.value.isSwitch) option.preset('on'); // `-d` alone turns it on
  const variable = environmentVariable(spec);
  // An empty variable counts as unset, as it always has; commander would parse ''.
  if (process.env[variable] !== '') option.env(variable);
  return option;
}

/** Commander words a parser's refusal as "option '…' argument '…' is invalid." and the rule. */
function commanderParser<T>(kind: ValueKind<T>): (text: string) => T {
  return (text) => {
    try {
      return kind.parse(text);
    } catch (error) {
      if (error instanceof OptionValueError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

const SILENT: CliOutput = { out: () => undefined, err: () => undefined };

/**
 * The `--config` path, found by commander reading argv as the real parse will (`-c f`, `-cf`,
 * `--config=f`; and `--name -c` is a name), with nothing printed; undefined when none is given.
 * A mistake in argv is left for the real parse to report.
 */
function configFileIn(argv: readonly string[], version: string): string | undefined {
  const scout = describeCommand(version, SILENT);
  try {
    scout.parseOptions([...argv]);
  } catch {
    // reported by the real parse
  }
  return scout.getOptionValue('config') as string | undefined;
}

/**
 * Sets the layers below the command line and the `PARLEY_*` variables before the parse: the
 * config file's values (source `config`), then `PORT` (source `env`, so `PARLEY_PORT` still
 * beats it). Commander's parse replaces either with a flag or the option's own variable.
 * Returns why a layer cannot be used, if one cannot; then none of the file is used.
 */
function presetLowerLayers(program: Command, configFile: string | undefined): string | undefined {
  if (configFile !== undefined) {
    try {
      const settings = readConfigFile(configFile);
      for (const { key, value } of settings) program.setOptionValueWithSource(key, value, 'config');
    } catch (error) {
      if (!(error instanceof ConfigFileError)) throw error;
      return error.message;
    }
  }
  return presetFallbackVariables(program);
}

/** Reads `PORT` (each option's fallback variable) as a variable just below the option's own. */
function presetFallbackVariables(program: Command): string | undefined {
  for (const option of OPTION_LIST) {
    const name = option.fallbackVariable;
    const raw = name === undefined ? undefined : process.env[name];
    if (raw === undefined || raw === '') continue;
    try {
      program.setOptionValueWithSource(configKey(option), option.value.parse(raw), 'env');
    } catch (error) {
      if (!(error instanceof OptionValueError)) throw error;
      return `option '${option.flags}' value '${raw}' from env '${name}' is invalid. ${error.message}`;
    }
  }
  return undefined;
}

/**
 * The parsed values as the configuration. Each value was made by its option's parser or is its
 * default, so each field holds its option's type (which the compiler cannot follow through
 * commander's untyped store).
 */
function toConfig(program: Command): ParleyConfig {
  return Object.fromEntries(
    OPTION_LIST.map((option) => [option.field, program.getOptionValue(configKey(option))]),
  ) as ParleyConfig;
}
