import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { appendRooms } from '../test/support/big-files.js';

/**
 * How long a server takes to start, and how much memory it holds, with a big `rooms.jsonl`:
 * what a flood of room creations leaves behind. Prints one JSON line.
 * @example node dist/bench/startup-rooms.js --bytes 540000000 --name-chars 90
 */
const options = new Command('startup-rooms')
  .option('--bytes <n>', 'size of the rooms file', Number, 540_000_000)
  .option('--name-chars <n>', 'characters per room name (4-byte emoji)', Number, 90)
  .parse()
  .opts<{ bytes: number; nameChars: number }>();

const MAIN = fileURLToPath(new URL('../cmd/server/main.js', import.meta.url));
const dir = await mkdtemp(join(tmpdir(), 'parley-startup-'));
try {
  const path = join(dir, 'rooms.jsonl');
  const rooms = await appendRooms(path, 0, options.bytes, '🦊'.repeat(options.nameChars));
  const bytes = (await stat(path)).size;
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN, '-p', '0', '--tcp-port', '0', '--data-dir', dir], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before listening`)));
  });
  const startMs = Math.round(performance.now() - started);
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  process.stdout.write(`${JSON.stringify({ rooms, bytes, startMs, rssMb })}\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
