import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientSpec } from './load/protocol.js';
import { startDeployment, type RunningDeployment } from './support/deployment.js';
import { startCounters } from './support/perf-counters.js';
import { cpuSeconds, rssBytes } from './support/process-stats.js';
import { quantile } from './support/stats.js';
import {
  createRooms,
  startTarget,
  type RunningTarget,
  type Target,
  type TargetName,
} from './support/targets.js';
import { WorkerPool } from './support/worker-pool.js';

/** The figures one round of a scenario produced for one server. */
export type Metrics = Record<string, number>;

/** Durations of a run (quick or full). */
export interface Timing {
  readonly warmupMs: number;
  readonly measureMs: number;
}

/** A benchmark: what it does, which servers it compares, and how one round runs. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly targets: readonly TargetName[];
  /** Run only when asked for by name (too slow for the routine runs). */
  readonly onRequest?: boolean;
  run(target: Target, timing: Timing): Promise<Metrics>;
}

const WORKERS = 2;
const PEERS: readonly TargetName[] = ['parley', 'ws-coalesced', 'raw-ws', 'socketio'];

/** Starts the server and load workers, runs `body`, and always stops both. */
async function withServer<T>(
  target: Target,
  body: (server: RunningTarget, pool: WorkerPool) => Promise<T>,
): Promise<T> {
  const server = await startTarget(target);
  const pool = WorkerPool.start(WORKERS);
  try {
    return await body(server, pool);
  } finally {
    await pool.close();
    await server.stop();
  }
}

/** Who publishes in each room: its first member, every member, or no one. */
type Publishers = 'first' | 'all' | 'none';

/** `perRoom` clients in each room; `publishers` says which of them send messages. */
function roomClients(rooms: string[], perRoom: number, publishers: Publishers): ClientSpec[] {
  return rooms.flatMap((room, r) =>
    Array.from({ length: perRoom }, (_, i) => ({
      room,
      name: `c${r}x${i}`,
      publisher: publishers === 'all' || (publishers === 'first' && i === 0),
    })),
  );
}

/**
 * Connects each room's publisher before its subscribers, so that it is first in every server's
 * delivery order. Where the publisher sits changes how many of its messages arrive together,
 * and so how well a server can batch; this keeps it the same for every server.
 */
async function connectPublishersFirst(
  pool: WorkerPool,
  target: Target,
  server: RunningTarget,
  clients: ClientSpec[],
): Promise<void> {
  await pool.connect(
    target.dialect,
    server.port,
    clients.filter((c) => c.publisher),
    500,
  );
  await pool.connect(
    target.dialect,
    server.port,
    clients.filter((c) => !c.publisher),
    500,
  );
}

/** The server side of a deployment: every Parley process, and redis-server. */
interface ServerProcesses {
  readonly parley: readonly number[];
  readonly redis: readonly number[];
}

const totalCpuSeconds = async (pids: readonly number[]): Promise<number> =>
  (await Promise.all(pids.map(cpuSeconds))).reduce((sum, s) => sum + s, 0);

/**
 * Measures deliveries, server CPU and (sampled) latency over the measurement window. Server
 * CPU is the sum over every server-side process: with Redis, every Parley process and
 * redis-server (whose share is also reported, as `redisCpuShare`).
 */
async function measure(
  server: RunningTarget | ServerProcesses,
  pool: WorkerPool,
  timing: Timing,
  sampleEvery: number,
): Promise<Metrics> {
  const processes: ServerProcesses = 'pid' in server ? { parley: [server.pid], redis: [] } : server;
  const pids = [...processes.parley, ...processes.redis];
  await sleep(timing.warmupMs);
  pool.broadcast({ cmd: 'measure', sampleEvery });
  const counters = startCounters(pids);
  const [cpuStart, redisStart] = await Promise.all([
    totalCpuSeconds(pids),
    totalCpuSeconds(processes.redis),
  ]);
  const started = performance.now();
  await sleep(timing.measureMs);
  const [report, cpuEnd, redisEnd] = await Promise.all([
    pool.report(),
    totalCpuSeconds(pids),
    totalCpuSeconds(processes.redis),
  ]);
  const seconds = (performance.now() - started) / 1000;
  const { instructions, cycles, writeCalls } = await counters.stop();
  const serverCpu = cpuEnd - cpuStart;
  // Deployments only (the other scenarios' tables keep their columns).
  const deployment: Metrics =
    'pid' in server
      ? {}
      : {
          errorEvents: report.errors,
          ...(processes.redis.length === 0
            ? {}
            : { redisCpuShare: (redisEnd - redisStart) / seconds }),
        };
  return {
    deliveriesPerSec: report.deliveries / seconds,
    deliveriesPerCpuSec: report.deliveries / serverCpu,
    cyclesPerDelivery: cycles / report.deliveries,
    instructionsPerDelivery: instructions / report.deliveries,
    deliveriesPerWriteCall: report.deliveries / writeCalls,
    serverCpuShare: serverCpu / seconds,
    p50Ms: quantile(report.latenciesUs, 0.5) / 1000,
    p99Ms: quantile(report.latenciesUs, 0.99) / 1000,
    loaderCpuUsPerDelivery: (report.cpuMs * 1000) / report.deliveries,
    droppedConnections: report.closed,
    ...deployment,
  };
}

function fanout(subscribers: number, targets: readonly TargetName[] = PEERS): Scenario {
  return {
    name: `fanout-${subscribers}`,
    description: `one room, ${subscribers} subscribers, one publisher with 16 messages in flight, 64-byte texts`,
    targets,
    run: (target, timing) =>
      withServer(target, async (server, pool) => {
        const rooms = await createRooms(server, 1);
        await connectPublishersFirst(
          pool,
          target,
          server,
          roomClients(rooms, subscribers, 'first'),
        );
        pool.broadcast({ cmd: 'publish', window: 16, perSecond: 0 });
        return measure(server, pool, timing, 64);
      }),
  };
}

const LATENCY_DESCRIPTION =
  '1,000 subscribers, one publisher at 20 messages/s (20,000 deliveries/s), every delivery timed';

/** Opens a room of 1,000 with a publisher sending 20 messages a second. */
async function startLatencyRoom(
  target: Target,
  server: RunningTarget,
  pool: WorkerPool,
): Promise<void> {
  const rooms = await createRooms(server, 1);
  await connectPublishersFirst(pool, target, server, roomClients(rooms, 1000, 'first'));
  pool.broadcast({ cmd: 'publish', window: 0, perSecond: 20 });
}

function latencyTiming(timing: Timing): Timing {
  return { ...timing, measureMs: Math.max(timing.measureMs, 4000) };
}

const latency: Scenario = {
  name: 'latency-1000x20',
  description: LATENCY_DESCRIPTION,
  targets: [...PEERS, 'parley-memory'],
  run: (target, timing) =>
    withServer(target, async (server, pool) => {
      await startLatencyRoom(target, server, pool);
      return measure(server, pool, latencyTiming(timing), 1);
    }),
};

/**
 * The same room measured twice back to back on one server: everyone reading, then with one
 * subscriber that has stopped reading. Comparing within one server run keeps the machine's
 * drift between runs out of the ratio.
 */
const slowConsumer: Scenario = {
  name: 'latency-slow-consumer',
  description: `${LATENCY_DESCRIPTION}; measured with everyone reading, then with one subscriber that stops reading`,
  targets: ['parley', 'raw-ws'],
  run: (target, timing) =>
    withServer(target, async (server, pool) => {
      await startLatencyRoom(target, server, pool);
      const reading = await measure(server, pool, latencyTiming(timing), 1);
      pool.first({ cmd: 'pause-one' });
      const paused = await measure(server, pool, latencyTiming(timing), 1);
      return {
        p50Ms: reading.p50Ms ?? NaN,
        p99Ms: reading.p99Ms ?? NaN,
        p50MsSlowConsumer: paused.p50Ms ?? NaN,
        p99MsSlowConsumer: paused.p99Ms ?? NaN,
        p99SlowOverReading: (paused.p99Ms ?? NaN) / (reading.p99Ms ?? NaN),
        droppedConnections: paused.droppedConnections ?? NaN,
      };
    }),
};

const manyRooms: Scenario = {
  name: 'rooms-1000x10',
  description: '1,000 rooms of 10, everyone chatting with 2 messages in flight each',
  targets: [...PEERS, 'parley-memory'],
  run: (target, timing) =>
    withServer(target, async (server, pool) => {
      const rooms = await createRooms(server, 1000);
      await pool.connect(target.dialect, server.port, roomClients(rooms, 10, 'all'), 500);
      pool.broadcast({ cmd: 'publish', window: 2, perSecond: 0 });
      return measure(server, pool, timing, 64);
    }),
};

const storage: Scenario = {
  name: 'storage-fanout-1000',
  description: 'fanout-1000 on Parley with file storage (default) and with memory storage',
  targets: ['parley', 'parley-memory'],
  run: (target, timing) => fanout(1000).run(target, timing),
};

async function forcedGcRss(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2');
  await sleep(1000);
  return rssBytes(pid);
}

const idleMemory: Scenario = {
  name: 'memory-10000',
  description:
    '10,000 joined, idle connections in rooms of 10; RSS growth per connection after a forced GC',
  targets: PEERS,
  run: (target) =>
    withServer(target, async (server, pool) => {
      const rooms = await createRooms(server, 1000);
      const before = await forcedGcRss(server.pid);
      await pool.connect(target.dialect, server.port, roomClients(rooms, 10, 'none'), 500);
      const after = await forcedGcRss(server.pid);
      return {
        rssKbPerConnection: (after - before) / 1024 / 10_000,
        rssMbTotal: after / 1024 / 1024,
      };
    }),
};

/** Probes `/ping` every 20 ms until stopped; the worst answer time shows a blocked loop. */
function pingProbe(port: number): { stop(): Promise<number> } {
  let worst = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`http://127.0.0.1:${port}/ping`)
        .then((r) => r.text())
        .catch(() => undefined);
      worst = Math.max(worst, performance.now() - started);
      await sleep(20);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return worst;
    },
  };
}

function joinStorm(perRoom: number, unbatched = false): Scenario {
  const rooms = 10_000 / perRoom;
  const name = perRoom === 10_000 ? 'join-storm-one-room' : `join-storm-rooms-of-${perRoom}`;
  return {
    name: unbatched ? `${name}-unbatched` : name,
    onRequest: unbatched,
    description: `10,000 clients connect and join at once, ${perRoom === 10_000 ? 'all in one room' : `in rooms of ${perRoom}`}`,
    targets: unbatched ? ['parley-unbatched'] : PEERS,
    run: (target) =>
      withServer(target, async (server, pool) => {
        const ids = await createRooms(server, rooms);
        const probe = pingProbe(server.port);
        const joined = await pool.connect(
          target.dialect,
          server.port,
          roomClients(ids, perRoom, 'none'),
          10_000,
          false,
        );
        const worstPingMs = await probe.stop();
        const started = Math.min(...joined.map((j) => j.startedAt));
        const finished = Math.max(...joined.map((j) => j.lastJoinedAt));
        const failed = joined.reduce((sum, j) => sum + j.failed, 0);
        return {
          secondsToAllJoined: (finished - started) / 1000,
          worstPingMs,
          failedConnections: failed,
        };
      }),
  };
}

/** Starts the deployment and load workers (pinned as its layout says), runs `body`, stops both. */
async function withDeployment<T>(
  target: Target,
  body: (deployment: RunningDeployment, pool: WorkerPool) => Promise<T>,
): Promise<T> {
  const deployment = await startDeployment(target);
  const pool = WorkerPool.start(WORKERS, deployment.layout.loaderCpus);
  try {
    return await body(deployment, pool);
  } finally {
    await pool.close();
    await deployment.stop();
  }
}

/**
 * Fan-out 1,000 on a deployment: the room is created on node A and the publisher joins there
 * first; each subscriber joins the node the layout gives it (for `--procs`, the one port, and
 * the cluster's round robin picks the worker). Saturated first (16 in flight): throughput and
 * CPU per delivery. With `paced`, then, on the same deployment once the backlog has drained,
 * 20 messages a second (20,000 deliveries/s, every delivery timed): latency at the same
 * offered load everywhere (`p50MsPaced`, `p99MsPaced`). Saturated latency does not compare
 * across layouts: the publisher refills its window when its own message comes back from its
 * node, so when the subscribers are on another node, nothing holds the publisher back to
 * their pace and their node's queue — and latency — grows for as long as the run lasts.
 */
function deploymentFanout(
  name: string,
  description: string,
  targets: readonly TargetName[],
  paced: boolean,
  shape: { readonly rooms: number; readonly perRoom: number } = { rooms: 1, perRoom: 1000 },
): Scenario {
  return {
    name,
    description,
    targets,
    onRequest: true,
    run: (target, timing) => withRetries(() => runOnce(target, timing)),
  };

  function runOnce(target: Target, timing: Timing): Promise<Metrics> {
    return withDeployment(target, async (deployment, pool) => {
      const nodeA = deployment.nodes[0] as RunningTarget;
      const rooms = await createRooms(nodeA, shape.rooms);
      const clients = roomClients(rooms, shape.perRoom, 'first');
      const publishers = clients.filter((c) => c.publisher);
      await pool.connect(target.dialect, nodeA.port, publishers, JOIN_CONCURRENCY);
      const byPort = new Map<number, ClientSpec[]>();
      clients
        .filter((c) => !c.publisher)
        .forEach((client, i) => {
          const port = deployment.subscriberPort(i);
          byPort.set(port, [...(byPort.get(port) ?? []), client]);
        });
      for (const [port, specs] of byPort) {
        await pool.connect(target.dialect, port, specs, JOIN_CONCURRENCY);
      }
      for (const room of rooms) await allPresent(nodeA.port, room, shape.perRoom, pool);
      const processes = await deployment.serverPids();
      pool.broadcast({ cmd: 'publish', window: 16, perSecond: 0 });
      const saturated = await measure(processes, pool, timing, 64);
      if (!paced) return saturated;
      pool.broadcast({ cmd: 'stop-publishing' });
      await drained(pool);
      pool.broadcast({ cmd: 'publish', window: 0, perSecond: 20 });
      const slow = await measure(processes, pool, latencyTiming(timing), 1);
      return {
        ...saturated,
        p50MsPaced: slow.p50Ms ?? NaN,
        p99MsPaced: slow.p99Ms ?? NaN,
        deliveriesPerCpuSecPaced: slow.deliveriesPerCpuSec ?? NaN,
        errorEventsPaced: slow.errorEvents ?? NaN,
      };
    });
  }
}

/** A join refused during setup (see JOIN_CONCURRENCY). */
class SetupError extends Error {}

/**
 * Runs a round on a fresh deployment, up to three times when not every client could join (the
 * retry is printed, and counted as `setupRetries`).
 */
async function withRetries(round: () => Promise<Metrics>): Promise<Metrics> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { ...(await round()), setupRetries: attempt };
    } catch (error) {
      if (!(error instanceof SetupError) || attempt >= 2) throw error;
      process.stderr.write(`${error.message}: the round starts again\n`);
    }
  }
}

/** Waits (at most 20 s) until a quarter of a second passes without a delivery. */
async function drained(pool: WorkerPool): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    pool.broadcast({ cmd: 'measure', sampleEvery: 0 });
    await sleep(250);
    if ((await pool.report()).deliveries === 0) return;
  }
}

/**
 * Joins in flight at once, for deployments. On Redis each join into a room of up to 1,000 lists
 * the room for its notice (presentNames: a script with one HMGET per member), so 1,000 joins
 * cost O(N²) in Redis and in the node; 500 at once queue past the 2 s command timeout and some
 * are refused (`storage_unavailable`). 50 at once join everyone in 5–9 s.
 */
const JOIN_CONCURRENCY = 50;

/**
 * Waits until the room lists every client (bounded), then a little more. A load client counts
 * itself joined at its first frame, which on Redis can be another's join while its own is still
 * being recorded; a node working through a join storm answers storage commands late, and a
 * message refused meanwhile (`storage_unavailable`) would stall the publisher's window.
 */
async function allPresent(
  port: number,
  roomId: string,
  count: number,
  pool: WorkerPool,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await fetch(`http://127.0.0.1:${port}/chat/${roomId}`);
    const { participant_count: present } = (await response.json()) as {
      participant_count: number;
    };
    if (present >= count) break;
    if (Date.now() > deadline) {
      const { errors, closed } = await pool.report();
      throw new SetupError(
        `${present} of ${count} joined after 30 s (${errors} error events, ${closed} closed)`,
      );
    }
    await sleep(100);
  }
  await sleep(500);
}

const FANOUT_1000 =
  'one room, 1,000 subscribers, one publisher with 16 messages in flight, 64-byte texts';

/** Issue 16: publisher and subscribers on different nodes vs all on one node. */
const crossNode = deploymentFanout(
  'cross-node',
  `${FANOUT_1000}; every Parley process and redis-server pinned to CPU 0, load on CPU 1; ` +
    'redis-1-node: one node on Redis, everyone on it; redis-2-nodes-apart: two nodes on one ' +
    'Redis, the publisher on A, every subscriber on B; redis-2-nodes-split: the subscribers ' +
    'alternately on B and A; file-1-node: file storage, for reference. Saturated, then paced ' +
    'at 20 messages/s (the *Paced figures)',
  ['redis-1-node', 'redis-2-nodes-apart', 'redis-2-nodes-split', 'file-1-node'],
  true,
);

/** Issue 16: `--procs 2` vs one process, on both cores. */
const procs = deploymentFanout(
  'procs',
  `${FANOUT_1000}; server side and load share CPUs 0 and 1; redis-procs-2: --procs 2 on ` +
    'Redis (clients spread by the cluster round robin); redis-1-proc-2-cores: one process on ' +
    'Redis; file-1-proc-2-cores: one process with file storage, for reference',
  ['redis-1-proc-2-cores', 'redis-procs-2', 'file-1-proc-2-cores'],
  false,
);

/** `--procs 2` vs one process with work that can be spread: ten rooms, ten publishers. */
const procsRooms = deploymentFanout(
  'procs-rooms',
  '10 rooms of 100, each with one publisher with 16 messages in flight, 64-byte texts; ' +
    'deployments and pinning as in procs',
  ['redis-1-proc-2-cores', 'redis-procs-2', 'file-1-proc-2-cores'],
  false,
  { rooms: 10, perRoom: 100 },
);

/** Every scenario, by name. The quick run (`npm run bench`) uses fanout-100 and fanout-1000. */
export const SCENARIOS: readonly Scenario[] = [
  fanout(10),
  fanout(100),
  fanout(1000),
  fanout(10_000),
  latency,
  slowConsumer,
  manyRooms,
  storage,
  idleMemory,
  joinStorm(10),
  joinStorm(10_000),
  joinStorm(10_000, true),
  crossNode,
  procs,
  procsRooms,
];
