import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DialectName } from '../load/dialects.js';

const dist = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** A server under test. */
export interface Target {
  readonly name: TargetName;
  readonly dialect: DialectName;
  /** Parley needs its rooms created over REST; the peers take any room name. */
  readonly createsRooms: boolean;
  command(dataDir: string): string[];
  /** Set for Parley deployments of several processes (bench/support/deployment.ts). */
  readonly layout?: Layout;
}

/**
 * How a deployment is laid out: how many Parley nodes (each its own process, or a `--procs`
 * primary with its workers), whether they share a `redis-server`, which node the subscribers
 * join, and which CPUs the server side (every Parley process and Redis) and the load workers
 * are pinned to.
 */
export interface Layout {
  readonly nodes: number;
  /** `--procs` for each node (absent: one process). */
  readonly procs?: number;
  readonly redis: boolean;
  /**
   * Where subscribers connect: the publisher's node (`same`), the other node (`other`), or
   * alternately the publisher's and the other (`split`).
   */
  readonly subscribers: 'same' | 'other' | 'split';
  /** `taskset -c` lists. */
  readonly serverCpus: string;
  readonly loaderCpus: string;
}

export type TargetName =
  | 'parley'
  | 'parley-memory'
  | 'parley-unbatched'
  | 'raw-ws'
  | 'ws-coalesced'
  | 'socketio'
  | ClusterTargetName;

/** The several-process deployments of the cross-node and procs scenarios. */
export type ClusterTargetName =
  | 'file-1-node'
  | 'redis-1-node'
  | 'redis-2-nodes-apart'
  | 'redis-2-nodes-split'
  | 'file-1-proc-2-cores'
  | 'redis-1-proc-2-cores'
  | 'redis-procs-2';

/**
 * Parley as a user runs it (defaults: file storage, fsync interval, history 15), plus `flags` —
 * but with the abuse limits off: the benchmark measures the message path, not the rate limit
 * (`--rate-limit 0`), and all its clients come from 127.0.0.1, which the per-address limits
 * would refuse past 100 connections or 10 rooms a minute (docs/performance.md, "Method").
 */
function parley(name: TargetName, ...flags: string[]): Target {
  return {
    name,
    dialect: 'parley',
    createsRooms: true,
    command: (dataDir) => [
      dist('cmd/server/main.js'),
      '-p',
      '0',
      '--data-dir',
      dataDir,
      ...BENCH_LIMITS_OFF,
      ...flags,
    ],
  };
}

/** The abuse limits, off for the benchmark (see parley()). */
export const BENCH_LIMITS_OFF = [
  '--rate-limit',
  '0',
  '--max-connections-per-ip',
  '0',
  '--room-creation-rate',
  '0',
];

/**
 * A Parley deployment for the cross-node and procs scenarios. The line port is off: several
 * nodes on one machine would all take its default port.
 */
function deployment(name: ClusterTargetName, layout: Layout): Target {
  const storage = layout.redis ? ['--storage', 'redis'] : [];
  const procs = layout.procs === undefined ? [] : ['--procs', String(layout.procs)];
  return { ...parley(name, '--tcp-port', '0', ...storage, ...procs), layout };
}

/**
 * Cross-node: every server-side process (each Parley node and redis-server) shares CPU 0, the
 * load workers CPU 1, as for every single-process target: the configurations get the same
 * CPU, so deliveries per server-CPU-second compare what the work costs, not how many cores
 * it was given.
 */
const ONE_CORE = { serverCpus: '0', loaderCpus: '1' } as const;
/**
 * `--procs 2` vs one process: the point is to use both cores, so nothing is pinned apart — the
 * server side and the load workers share CPUs 0 and 1, the same for every configuration.
 */
const BOTH_CORES = { serverCpus: '0,1', loaderCpus: '0,1' } as const;

export const TARGETS: Record<TargetName, Target> = {
  parley: parley('parley'),
  'file-1-node': deployment('file-1-node', {
    nodes: 1,
    redis: false,
    subscribers: 'same',
    ...ONE_CORE,
  }),
  'redis-1-node': deployment('redis-1-node', {
    nodes: 1,
    redis: true,
    subscribers: 'same',
    ...ONE_CORE,
  }),
  'redis-2-nodes-apart': deployment('redis-2-nodes-apart', {
    nodes: 2,
    redis: true,
    subscribers: 'other',
    ...ONE_CORE,
  }),
  'redis-2-nodes-split': deployment('redis-2-nodes-split', {
    nodes: 2,
    redis: true,
    subscribers: 'split',
    ...ONE_CORE,
  }),
  'file-1-proc-2-cores': deployment('file-1-proc-2-cores', {
    nodes: 1,
    redis: false,
    subscribers: 'same',
    ...BOTH_CORES,
  }),
  'redis-1-proc-2-cores': deployment('redis-1-proc-2-cores', {
    nodes: 1,
    redis: true,
    subscribers: 'same',
    ...BOTH_CORES,
  }),
  'redis-procs-2': deployment('redis-procs-2', {
    nodes: 1,
    procs: 2,
    redis: true,
    subscribers: 'same',
    ...BOTH_CORES,
  }),
  'parley-memory': parley('parley-memory', '--storage', 'memory'),
  // Presence batching off: every join announced to everyone (the N² case it exists for).
  'parley-unbatched': parley('parley-unbatched', '--presence-batch-above', '1000000'),
  'raw-ws': {
    name: 'raw-ws',
    dialect: 'raw-ws',
    createsRooms: false,
    command: () => [dist('bench/servers/raw-ws-server.js')],
  },
  'ws-coalesced': {
    name: 'ws-coalesced',
    dialect: 'raw-ws',
    createsRooms: false,
    command: () => [dist('bench/servers/ws-coalesced-server.js')],
  },
  socketio: {
    name: 'socketio',
    dialect: 'socketio',
    createsRooms: false,
    command: () => [dist('bench/servers/socketio-server.js')],
  },
};

/** A started server: its process (pinned to core 0) and port. */
export interface RunningTarget {
  readonly target: Target;
  readonly process: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** The inspector URL, when started with `--inspect`. */
  readonly inspectorUrl: string | undefined;
  stop(): Promise<void>;
}

/** Where a server is pinned (default CPU 0) and what it is given beyond its command. */
export interface StartOptions {
  readonly cpus?: string;
  /** Appended to the target's command (a node's Redis URL and id). */
  readonly extraArgs?: readonly string[];
}

/** Starts the target pinned to CPU 0, with forced GC on SIGUSR2, and waits until it listens. */
export async function startTarget(
  target: Target,
  extraNodeFlags: string[] = [],
  options: StartOptions = {},
): Promise<RunningTarget> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const gcHook = dist('bench/support/gc-on-signal.js');
  const child = spawn(
    'taskset',
    [
      '-c',
      options.cpus ?? '0',
      process.execPath,
      '--expose-gc',
      '--import',
      gcHook,
      ...extraNodeFlags,
      ...target.command(dataDir),
      ...(options.extraArgs ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: dataDir },
  );
  let stderr = '';
  let inspectorUrl: string | undefined;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${target.name} exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    target,
    process: child,
    pid: child.pid ?? -1,
    port,
    get inspectorUrl() {
      return inspectorUrl;
    },
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates `count` rooms (over REST for Parley) and returns their ids. */
export async function createRooms(
  running: Pick<RunningTarget, 'target' | 'port'>,
  count: number,
): Promise<string[]> {
  // Peer room names as long as Parley's KSUID room ids, so frames are the same size (the
  // separator keeps `room1-xx…` and `room10-x…` apart).
  if (!running.target.createsRooms) {
    return Array.from({ length: count }, (_, i) => `room${i}-`.padEnd(27, 'x'));
  }
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`http://127.0.0.1:${running.port}/chat?name=bench-${i}`, {
      method: 'POST',
    });
    ids.push(((await response.json()) as { id: string }).id);
  }
  return ids;
}
