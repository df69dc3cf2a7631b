import { expect } from 'chai';
import { resolve } from 'node:path';
import { hostname } from 'node:os';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { createRoom } from '../support/rooms.js';
import { makeTempDir } from '../support/temp-dir.js';

/** What became of a start: listening (then stopped) or the reason it did not. */
async function tryToStart(args: string[]): Promise<string> {
  let server: ChildServer;
  try {
    server = await startChildServer(args);
  } catch (error) {
    return (error as Error).message;
  }
  server.process.kill('SIGTERM');
  await server.exited;
  return 'started';
}

describe('One server per data directory (real processes)', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  it('refuses a second server on the same data directory, naming the directory and the holder', async function () {
    this.timeout(20_000);
    const first = await startChildServer(['--data-dir', dir.path]);
    const second = await tryToStart(['--data-dir', dir.path]);
    expect(second).to.match(/^exited 1 before listening/);
    const holder = `pid ${first.process.pid} on ${hostname()}, since `;
    expect(second.trimEnd().split('\n').at(-1))
      .to.match(/^error: /)
      .and.contain(`data directory ${resolve(dir.path)} is in use by another Parley (${holder}`)
      .and.contain('give this one another --data-dir');
    await createRoom(first.url, 'Still served'); // the first one is untouched
    first.process.kill('SIGTERM');
    expect(await first.exited).to.equal(0);
  });

  it('starts at once after the holder was killed with SIGKILL (the kernel let the lock go)', async function () {
    this.timeout(20_000);
    const crashed = await startChildServer(['--data-dir', dir.path]);
    crashed.process.kill('SIGKILL');
    await crashed.exited;
    expect(await tryToStart(['--data-dir', dir.path])).to.equal('started');
  });

  it('lets the next server start once the holder stopped gracefully', async function () {
    this.timeout(20_000);
    expect(await tryToStart(['--data-dir', dir.path])).to.equal('started');
    expect(await tryToStart(['--data-dir', dir.path])).to.equal('started');
  });

  it('takes no lock for memory storage: two memory servers run side by side', async function () {
    this.timeout(20_000);
    const first = await startChildServer(['--storage', 'memory', '--data-dir', dir.path]);
    expect(await tryToStart(['--storage', 'memory', '--data-dir', dir.path])).to.equal('started');
    first.process.kill('SIGTERM');
    expect(await first.exited).to.equal(0);
  });
});
