import { setTimeout as sleep } from 'node:timers/promises';
import type { ClientSpec } from './load/protocol.js';
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

/** Measures deliveries, server CPU and (sampled) latency over the measurement window. */
async function measure(
  server: RunningTarget,
  pool: WorkerPool,
  timing: Timing,
  sampleEvery: number,
): Promise<Metrics> {
  await sleep(timing.warmupMs);
  pool.broadcast({ cmd: 'measure', sampleEvery });
  const counters = startCounters(server.pid);
  const cpuStart = await cpuSeconds(server.pid);
  const started = performance.now();
  await sleep(timing.measureMs);
  const [report, cpuEnd] = await Promise.all([pool.report(), cpuSeconds(server.pid)]);
  const seconds = (performance.now() - started) / 1000;
  const { instructions, cycles, writeCalls } = await counters.stop();
  const serverCpu = cpuEnd - cpuStart;
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
];
