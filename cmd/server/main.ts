#!/usr/bin/env node
import { createLogger } from '../../platform/logging/logger.js';
import { parseCommandLine } from './cli.js';
import { startParley, type RunningParley } from './compose.js';
import { parleyVersion } from './version.js';

const output = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

/** Parses the command line, starts Parley, and stops it gracefully on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  const outcome = parseCommandLine(process.argv.slice(2), output, parleyVersion());
  if (outcome.kind === 'exit') {
    process.exitCode = outcome.code;
    return;
  }
  const { config } = outcome;
  const logger = createLogger(config.logLevel, config.serverName);
  let parley: RunningParley;
  try {
    parley = await startParley(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'cannot start');
    process.exitCode = 1;
    return;
  }
  output.out(`listening on ${parley.url}\n`);
  logger.info({ url: parley.url, storage: config.storage, dataDir: config.dataDir }, 'started');

  const stop = (signal: string, code: number): void => {
    logger.info({ signal }, 'stopping');
    parley.shutdown().then(
      () => process.exit(code),
      (error: unknown) => {
        logger.fatal({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    signalled = true;
    stop(signal, 0);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception: shutting down');
    stop('uncaughtException', 1);
  });
}

await main();
