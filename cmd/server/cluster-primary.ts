import cluster, { type Worker } from 'node:cluster';
import type { ParleyConfig } from '../../platform/config/parley-config.js';
import type { Logger } from '../../platform/logging/logger.js';
import { StopRequests } from './stop-requests.js';

/** What a worker tells the primary once its server listens. */
export interface WorkerListening {
  readonly parley: 'listening';
  readonly url: string;
}

export function isWorkerListening(message: unknown): message is WorkerListening {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { parley?: unknown }).parley === 'listening' &&
    typeof (message as { url?: unknown }).url === 'string'
  );
}

/**
 * Tells a worker its slot (1…N), stable across restarts: what a worker must not share with the
 * others is named by it (its audit file). Not `PARLEY_*`: it is no setting a person gives.
 */
export const WORKER_SLOT_VARIABLE = 'CLUSTER_WORKER_SLOT';

/** A worker's own audit file: `audit.log` → `audit.worker2.log` (no two writers rotate one file). */
export function workerAuditLog(auditLog: string, slot: string | undefined): string {
  if (auditLog === '' || slot === undefined) return auditLog;
  const dot = auditLog.lastIndexOf('.');
  const slash = auditLog.lastIndexOf('/');
  return dot > slash + 1
    ? `${auditLog.slice(0, dot)}.worker${slot}${auditLog.slice(dot)}`
    : `${auditLog}.worker${slot}`;
}

/** The first restart of a dead worker waits this long; each quick death in a row doubles it. */
const RESTART_DELAY_MS = 500;
const RESTART_DELAY_MAX_MS = 10_000;
/** A worker that lived this long was healthy: its death does not count toward the streak. */
const HEALTHY_AFTER_MS = 30_000;

export interface PrimaryOutput {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `--procs N` (chattypantz's -X): N worker processes on one port through `node:cluster`, each a
 * full Parley node of the Redis-backed cluster (the primary accepts connections and hands each,
 * upgrades and SSE streams included, to a worker before reading it; workers share nothing but
 * Redis). The primary serves no one: it starts the workers, prints `listening on` once all of
 * them listen, restarts a worker that dies (after a delay that grows while deaths come quickly),
 * and passes stop signals on, exiting once every worker has stopped.
 *
 * A worker that dies before it ever listened at start-up (a taken port, a bad option) would die
 * again: the primary stops the others and exits with that worker's code instead of looping.
 */
export function runClusterPrimary(
  config: ParleyConfig,
  logger: Logger,
  output: PrimaryOutput,
  hardStopMs: number,
): void {
  const listening = new Set<number>();
  const started = new Map<number, number>();
  /** Worker id → slot (1…N): a restarted worker takes the slot of the one it replaces. */
  const slots = new Map<number, number>();
  let announced = false;
  let stopping = false;
  let quickDeaths = 0;

  const fork = (slot: number): Worker => {
    const worker = cluster.fork({ [WORKER_SLOT_VARIABLE]: String(slot) });
    slots.set(worker.id, slot);
    started.set(worker.id, Date.now());
    worker.on('message', (message: unknown) => {
      if (!isWorkerListening(message)) return;
      listening.add(worker.id);
      if (!announced && listening.size === config.procs) {
        announced = true;
        output.out(`listening on ${message.url}\n`);
        logger.info({ url: message.url, procs: config.procs }, 'started');
      }
    });
    return worker;
  };

  const workers = (): Worker[] =>
    Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);

  const stop = (signal: NodeJS.Signals, exitCode: number): void => {
    stopping = true;
    process.exitCode = exitCode;
    logger.info({ reason: signal, workers: workers().length }, 'stopping workers');
    for (const worker of workers()) worker.process.kill(signal);
    if (workers().length === 0) process.exit(); // every worker was dead, waiting to restart
    setTimeout(() => {
      logger.fatal({ afterMs: hardStopMs }, 'workers did not stop in time: exiting');
      for (const worker of workers()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, hardStopMs).unref();
  };

  cluster.on('exit', (worker, code, signal) => {
    const everListened = listening.delete(worker.id);
    const lived = Date.now() - (started.get(worker.id) ?? Date.now());
    started.delete(worker.id);
    if (stopping) {
      if (code !== 0 && code !== null)
        process.exitCode = Math.max(Number(process.exitCode ?? 0), 1);
      if (workers().length === 0) process.exit();
      return;
    }
    if (!everListened && !announced) {
      logger.fatal({ worker: worker.id, code, signal }, 'a worker could not start: stopping');
      stop('SIGTERM', code ?? 1);
      if (workers().length === 0) process.exit();
      return;
    }
    quickDeaths = lived >= HEALTHY_AFTER_MS ? 0 : quickDeaths + 1;
    const delay = Math.min(
      RESTART_DELAY_MAX_MS,
      RESTART_DELAY_MS * 2 ** Math.max(0, quickDeaths - 1),
    );
    logger.error(
      { worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: delay },
      'a worker died: restarting it',
    );
    const slot = slots.get(worker.id) ?? 1;
    slots.delete(worker.id);
    setTimeout(() => {
      if (!stopping) fork(slot);
    }, delay);
  });

  const requests = new StopRequests();
  const onSignal = (signal: NodeJS.Signals): void => {
    const request = requests.classify(signal);
    if (request === 'stop') stop(signal, 0);
    else if (request === 'force') {
      logger.warn({ reason: signal }, 'asked again while stopping: exiting now');
      for (const worker of workers()) worker.process.kill('SIGKILL');
      process.exit(130);
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  logger.info({ procs: config.procs }, 'starting workers');
  for (let slot = 1; slot <= config.procs; slot += 1) fork(slot);
}
