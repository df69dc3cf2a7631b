#!/usr/bin/env node
import cluster from 'node:cluster';
import inspector from 'node:inspector';
import { createLogger, type Logger } from '../../platform/logging/logger.js';
import { parseCommandLine } from './cli.js';
import { WORKER_SLOT_VARIABLE, workerAuditLog } from './cluster-primary.js';
import type { RunningParley } from './compose.js';
import { describeStartFailure } from './start-failure.js';
import { StopRequests } from './stop-requests.js';
import { parleyVersion } from './version.js';

const output = {
  out: (text: string) => process.stdout.write(text),
  err: (text: string) => process.stderr.write(text),
};

/**
 * Parses the command line, starts Parley, and stops it gracefully on SIGTERM or SIGINT.
 * Signal handlers go in before anything starts: a script that signals as soon as it reads the
 * `listening on` line must get a graceful shutdown, not the default instant death.
 */
async function main(): Promise<void> {
  const outcome = parseCommandLine(process.argv.slice(2), output, parleyVersion());
  if (outcome.kind === 'exit') {
    process.exitCode = outcome.code;
    return;
  }
  const config = cluster.isWorker
    ? {
        ...outcome.config,
        auditLog: workerAuditLog(outcome.config.auditLog, process.env[WORKER_SLOT_VARIABLE]),
      }
    : outcome.config;
  const logger = createLogger(config.logLevel, config.serverName, config.logFormat);
  if (config.procs > 1 && cluster.isPrimary) {
    const { runClusterPrimary } = await import('./cluster-primary.js');
    // The workers' own deadlines come first; the primary's is a last resort behind them.
    runClusterPrimary(config, logger, output, config.shutdownTimeoutMs + 2 * HARD_STOP_GRACE_MS);
    return;
  }
  // chattypantz's -L: a debugger on demand, on loopback only (it can run any code); worker n of
  // --procs listens on the port + n.
  if (config.inspectPort !== undefined) {
    inspector.open(config.inspectPort + (cluster.worker?.id ?? 0), '127.0.0.1');
  }
  // Loaded only now: the server's modules take most of a second, which --help need not wait for.
  const { startParley } = await import('./compose.js');
  const starting = startParley(config, logger);
  handleSignals(starting, logger, config.shutdownTimeoutMs + HARD_STOP_GRACE_MS);
  let parley: RunningParley;
  try {
    parley = await starting;
  } catch (error) {
    logger.fatal({ err: error }, 'cannot start');
    const failure = describeStartFailure(error, config);
    // The sentence for a person comes last, below the JSON log, where it is seen.
    if (failure !== undefined) output.err(`error: ${failure.message}\n`);
    process.exit(failure?.exitCode ?? 1);
  }
  // A worker of --procs tells its primary, which prints `listening on` once for all of them.
  if (cluster.isWorker) process.send?.({ parley: 'listening', url: parley.url });
  else output.out(`listening on ${parley.url}\n`);
  logger.info({ url: parley.url, storage: config.storage, dataDir: config.dataDir }, 'started');
}

/**
 * Beyond the shutdown deadline, what storage may still take to flush. A shutdown still running
 * after both is stuck: the process exits 1 rather than linger, serving no one.
 */
const HARD_STOP_GRACE_MS = 15_000;

/**
 * SIGTERM and SIGINT stop the server gracefully, exiting 0. A copy of the same signal within
 * SAME_REQUEST_WINDOW_MS is the same request (a group signal and npm's forwarded copy); any later
 * signal forces an exit with 130. A truly unexpected exception stops it the same way but exits
 * 1, so that a supervisor's `on-failure` policy restarts it; so does a shutdown that does not
 * finish within `hardStopMs`.
 */
function handleSignals(starting: Promise<RunningParley>, logger: Logger, hardStopMs: number): void {
  const requests = new StopRequests();
  let stopping = false;
  const stop = (reason: string, code: number): void => {
    stopping = true;
    process.exitCode = code;
    setTimeout(() => {
      logger.fatal({ reason, afterMs: hardStopMs }, 'shutdown did not finish in time: exiting');
      process.exit(1);
    }, hardStopMs);
    logger.info({ reason }, 'stopping');
    starting
      .then((parley) => parley.shutdown())
      .then(
        () => process.exit(), // with process.exitCode
        (error: unknown) => {
          logger.fatal({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    const request = requests.classify(signal);
    if (request === 'stop' && !stopping) {
      stop(signal, 0);
    } else if (request === 'duplicate') {
      logger.info({ reason: signal }, 'already stopping: the same request again');
    } else {
      logger.warn({ reason: signal }, 'asked again while stopping: exiting now');
      process.exit(130);
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    if (stopping)
      process.exitCode = 1; // already on its way out: only the status changes
    else stop('uncaughtException', 1);
  });
}

await main();
