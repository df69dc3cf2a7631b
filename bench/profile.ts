import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command } from 'commander';
import { selfTimeShares } from './report/profile-summary.js';
import { CdpProfiler } from './support/cdp-profiler.js';
import { createRooms, startTarget, TARGETS, type TargetName } from './support/targets.js';
import { WorkerPool } from './support/worker-pool.js';

/**
 * Profiles a server in the steady state of a fan-out: it connects the room, starts the
 * publisher, waits a second, then records V8's CPU profile for the chosen time (over the
 * inspector protocol) and prints where the time went, by function (self time). The profile is
 * saved to `--dir` for Chrome DevTools or speedscope.
 * @example node dist/bench/profile.js --target parley --subscribers 1000 --seconds 5
 */
const options = new Command('profile')
  .option('--target <name>', 'server to profile', 'parley')
  .option('--subscribers <n>', 'room size', (v) => Number(v), 1000)
  .option('--rooms <n>', 'rooms, each with its own publisher', (v) => Number(v), 1)
  .option('--window <n>', 'messages each publisher keeps in flight', (v) => Number(v), 16)
  .option('--seconds <n>', 'profiling time', (v) => Number(v), 5)
  .option('--dir <dir>', 'where the .cpuprofile goes', 'bench/profiles')
  .option('--top <n>', 'functions to list', (v) => Number(v), 30)
  .parse()
  .opts<{
    target: TargetName;
    subscribers: number;
    rooms: number;
    window: number;
    seconds: number;
    dir: string;
    top: number;
  }>();

const target = TARGETS[options.target];
const server = await startTarget(target, ['--inspect=127.0.0.1:0']);
const pool = WorkerPool.start(2);
const rooms = await createRooms(server, options.rooms);
const clients = rooms.flatMap((room, r) =>
  Array.from({ length: options.subscribers }, (_, i) => ({
    room,
    name: `p${r}x${i}`,
    publisher: i === 0,
  })),
);
await pool.connect(target.dialect, server.port, clients, 200);
pool.broadcast({ cmd: 'publish', window: options.window, perSecond: 0 });
await sleep(1000);
if (server.inspectorUrl === undefined) throw new Error('the server printed no inspector URL');
const profiler = await CdpProfiler.connect(server.inspectorUrl);
await profiler.start();
await sleep(options.seconds * 1000);
const profile = await profiler.stop();
await server.stop();
await pool.close();

const shape =
  options.rooms === 1
    ? `fanout-${options.subscribers}`
    : `rooms-${options.rooms}x${options.subscribers}`;
const file = join(options.dir, `${options.target}-${shape}.cpuprofile`);
await writeFile(file, JSON.stringify(profile));
for (const { name, share } of (await selfTimeShares(file)).slice(0, options.top)) {
  process.stdout.write(`${(share * 100).toFixed(1).padStart(5)}%  ${name}\n`);
}
process.stdout.write(`\nprofile: ${file}\n`);
