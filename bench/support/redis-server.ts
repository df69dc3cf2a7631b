import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A `redis-server` the benchmark started: its PID (for CPU time), URL, and how to stop it. */
export interface BenchRedis {
  readonly pid: number;
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a fresh `redis-server` on a free port of 127.0.0.1, in a temp dir, pinned to `cpus`,
 * and waits until it answers PING. Persistence is off (`--save '' --appendonly no`): the
 * benchmark measures the message path, not Redis's disk; with `appendonly yes` Redis would
 * also write every append to its log.
 */
export async function startRedis(cpus: string): Promise<BenchRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-redis-'));
  const port = await freePort();
  const child = spawn(
    'taskset',
    [
      '-c',
      cpus,
      'redis-server',
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--logfile',
      '',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not start (is it installed?): ${stderr}`);
    }
    await sleep(20);
  }
  return { pid: child.pid ?? -1, url: `redis://127.0.0.1:${port}/0`, stop };
}

/** True once something on the port answers a RESP `PING` with `+PONG`. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('+PONG')));
  });
}

/** A port nothing listens on now (the kernel's choice, released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
