import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DialectName } from '../load/dialects.js';
import type { ClientSpec, WorkerCommand, WorkerEvent } from '../load/protocol.js';

const WORKER = fileURLToPath(new URL('../load/worker.js', import.meta.url));

type Report = Extract<WorkerEvent, { evt: 'report' }>;
type Joined = Extract<WorkerEvent, { evt: 'joined' }>;

/** Load-generator processes, pinned to CPU 1 (the server has CPU 0) unless told otherwise. */
export class WorkerPool {
  private constructor(private readonly workers: ChildProcess[]) {}

  static start(count: number, cpus = '1'): WorkerPool {
    const workers = Array.from({ length: count }, () =>
      spawn('taskset', ['-c', cpus, process.execPath, WORKER], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    return new WorkerPool(workers);
  }

  /**
   * Spreads the clients over the workers (round robin), connects them, waits for every join.
   * @throws when `mustAllJoin` and any connection failed: a benchmark over fewer clients than
   * asked would quietly measure something else.
   */
  async connect(
    dialect: DialectName,
    port: number,
    clients: ClientSpec[],
    concurrency: number,
    mustAllJoin = true,
  ): Promise<Joined[]> {
    const shares = this.workers.map((_, w) =>
      clients.filter((_, i) => i % this.workers.length === w),
    );
    const joined = await Promise.all(
      this.workers.map((worker, w) => {
        const joined = this.next<Joined>(worker, 'joined');
        this.send(worker, {
          cmd: 'connect',
          dialect,
          port,
          clients: shares[w] ?? [],
          concurrency: Math.ceil(concurrency / this.workers.length),
        });
        return joined;
      }),
    );
    const failed = joined.reduce((sum, j) => sum + j.failed, 0);
    if (mustAllJoin && failed > 0)
      throw new Error(`${failed} of ${clients.length} connections failed`);
    return joined;
  }

  broadcast(command: WorkerCommand): void {
    for (const worker of this.workers) this.send(worker, command);
  }

  /** Sends a command to the first worker only (it holds the first client of each round-robin). */
  first(command: WorkerCommand): void {
    const worker = this.workers[0];
    if (worker !== undefined) this.send(worker, command);
  }

  async report(): Promise<{
    deliveries: number;
    latenciesUs: number[];
    closed: number;
    errors: number;
    cpuMs: number;
  }> {
    const reports = await Promise.all(
      this.workers.map((worker) => {
        const report = this.next<Report>(worker, 'report');
        this.send(worker, { cmd: 'report' });
        return report;
      }),
    );
    return {
      deliveries: reports.reduce((sum, r) => sum + r.deliveries, 0),
      latenciesUs: reports.flatMap((r) => r.latenciesUs),
      closed: reports.reduce((sum, r) => sum + r.closed, 0),
      errors: reports.reduce((sum, r) => sum + r.errors, 0),
      cpuMs: reports.reduce((sum, r) => sum + r.cpuMs, 0),
    };
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            this.send(worker, { cmd: 'close' });
            setTimeout(() => worker.kill('SIGKILL'), 3000).unref();
          }),
      ),
    );
  }

  private send(worker: ChildProcess, command: WorkerCommand): void {
    worker.send(command);
  }

  private next<T extends WorkerEvent>(worker: ChildProcess, evt: T['evt']): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: WorkerEvent): void => {
        if (message.evt === 'error') reject(new Error(message.message));
        if (message.evt !== evt) return;
        worker.off('message', onMessage);
        resolve(message as T);
      };
      worker.on('message', onMessage);
    });
  }
}
