import { OPTION_LIST, type OptionSpec, type PARLEY_OPTIONS } from './options.js';

/** The type of value an option's declaration holds. */
type ValueOf<Spec> = Spec extends OptionSpec<infer T> ? T : never;

/**
 * Everything an operator can set, already validated: one field per option of the table in
 * options.ts, typed by the option's kind of value. Durations are in milliseconds, sizes in bytes.
 */
export type ParleyConfig = {
  readonly [Field in keyof typeof PARLEY_OPTIONS]: ValueOf<(typeof PARLEY_OPTIONS)[Field]>;
};

/** Where rooms and messages are kept. */
export type StorageKind = ParleyConfig['storage'];

/** The embedded default, each option's own: file storage under ./data on 127.0.0.1:8080. */
export const DEFAULT_CONFIG: ParleyConfig = Object.freeze(
  // Each field holds its option's default, a value of the field's type by option()'s signature.
  Object.fromEntries(OPTION_LIST.map((option) => [option.field, option.default])) as ParleyConfig,
);

/** Rules that involve more than one setting; returns the first broken one, if any. */
export function crossCheck(config: ParleyConfig): string | undefined {
  if (config.pongTimeoutMs >= config.pingIntervalMs) {
    return '--pong-timeout must be shorter than --ping-interval';
  }
  if (config.tcpPort !== 0 && config.tcpPort === config.port) {
    return '--tcp-port must differ from --port';
  }
  if (config.jwtSecret !== '' && config.jwtPublicKey !== '') {
    return '--jwt-secret and --jwt-public-key cannot both be set: pick one';
  }
  if (config.chatrmPort !== 0 && (config.jwtSecret !== '' || config.jwtPublicKey !== '')) {
    return "--chatrm-port must be 0 (off) when tokens are on: Chatrm's client cannot carry a token";
  }
  if (config.procs > 1 && !sharesStateAcrossProcesses(config.storage)) {
    return `--procs ${config.procs} needs --storage redis: worker processes share rooms only through Redis (${config.storage} storage belongs to one process)`;
  }
  if (config.historyOnJoin > config.retention) {
    return '--history must not be more than --retention (the messages kept)';
  }
  return undefined;
}

/** Whether several processes can serve the same rooms with this storage. */
function sharesStateAcrossProcesses(storage: string): boolean {
  return storage === 'redis';
}
