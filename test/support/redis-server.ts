import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freeTcpPort } from './line-client.js';
import { Redis } from 'ioredis';
import { makeTempDir } from './temp-dir.js';

/** The line that installs what the Redis tests need, shown when they are skipped. */
export const REDIS_INSTALL_HINT = 'apt-get install -y redis-server';

/** True when a `redis-server` binary is on PATH. */
export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Skips the calling suite (from a mocha `before`) when `redis-server` is missing, saying how to
 * install it: without Redis, the Redis tests are reported as skipped, not failed.
 */
export function skipWithoutRedis(context: Mocha.Context): void {
  if (redisServerAvailable()) return;
  console.warn(`      (redis-server not found: skipped; install it with: ${REDIS_INSTALL_HINT})`);
  context.skip();
}

/** How a test's Redis keeps its data. */
export interface RedisServerOptions {
  /** Append-only file on: data survives `restart` (default: no persistence at all). */
  readonly appendonly?: boolean;
}

/** Redis servers still running, killed by the root hooks when a test leaves one behind. */
const running = new Set<RedisServer>();

/** Kills every Redis a test left running; returns how many. */
export function killLeftoverRedis(): number {
  const count = running.size;
  for (const server of running) server.kill();
  return count;
}

/**
 * A real `redis-server` on a free port of 127.0.0.1, in a temp dir of its own, stopped by PID.
 * `restart` keeps the port, for the "Redis goes away" tests.
 */
export class RedisServer {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: { path: string; remove(): Promise<void> },
    private readonly options: RedisServerOptions,
  ) {}

  /** Starts a Redis and resolves once it answers PING. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(
      await freeTcpPort(),
      await makeTempDir('parley-redis-'),
      options,
    );
    running.add(server);
    await server.launch();
    return server;
  }

  /** `redis://127.0.0.1:PORT/DB`. */
  url(db = 0): string {
    return `redis://127.0.0.1:${this.port}/${db}`;
  }

  /** A client of this server (the test closes it). */
  client(db = 0): Redis {
    return new Redis(this.url(db), { lazyConnect: false, maxRetriesPerRequest: 1 });
  }

  /** Deletes every key of every database. */
  async flush(): Promise<void> {
    const client = this.client();
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  /** Stops the server (SIGKILL by PID: like a crash, nothing is saved on the way out). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts the server again on the same port (what survives depends on `appendonly`). */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops the server and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop();
    running.delete(this);
    await this.dir.remove();
  }

  /** Kills at once, without waiting (the root hooks' last resort). */
  kill(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
    running.delete(this);
  }

  private async launch(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir.path,
      '--save',
      '',
      '--appendonly',
      this.options.appendonly === true ? 'yes' : 'no',
      '--appendfsync',
      'always',
      '--daemonize',
      'no',
      '--logfile',
      '',
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForPing(this.port, child, () => output);
  }
}

async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output()}`);
    const client = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      // not yet listening
    } finally {
      client.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`redis-server did not answer: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
