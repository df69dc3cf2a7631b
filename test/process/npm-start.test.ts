import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killGroup, ROOT, startChildServer, startViaNpm } from '../support/child-server.js';
import { eventually } from '../support/eventually.js';
import { RawPeer } from '../support/raw-peer.js';
import { createRoom } from '../support/rooms.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';

const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
};
const ws = (url: string, path: string) => url.replace(/^http/, 'ws') + path;

/** Resolves with what the promise gave, or rejects saying what did not happen in time. */
function within<T>(what: string, promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    sleep(ms).then(() => Promise.reject(new Error(`${what}: nothing after ${ms} ms`))),
  ]);
}

async function joinedAnn(url: string): Promise<TestClient> {
  const room = await createRoom(url, 'Stopping');
  return joinedClient(ws(url, joinPath(room, 'Ann')), 'Ann');
}

describe('Stopping `npm start` (real npm, real signals, its own process group)', () => {
  const targets = [
    ['npm', 'SIGTERM'],
    ['npm', 'SIGINT'],
    ['the whole process group', 'SIGINT'],
    ['the whole process group', 'SIGTERM'],
    ['the node process', 'SIGTERM'],
  ] as const;
  for (const [target, signal] of targets) {
    it(`${signal} to ${target}: one graceful shutdown, clients told, exit 0, nothing left running`, async function () {
      this.timeout(90_000);
      const server = await startViaNpm(['--storage', 'memory', '--shutdown-timeout', '5']);
      const ann = await joinedAnn(server.url);

      if (target === 'npm') server.process.kill(signal);
      else if (target === 'the node process') process.kill(server.serverPid, signal);
      else killGroup(server.process, signal);

      expect(await within('npm to exit', server.exited, 15_000)).to.equal(0);
      await eventually('every process of the group to end', () => !killGroup(server.process, 0));
      expect(await within('the client to be closed', ann.closed, 1000)).to.deep.equal({
        code: 1001,
        reason: 'server_shutting_down',
      });
      expect(ann.ofType('server_shutting_down')).to.have.length(1);
      const stopping = server.stderr().match(/"msg":"stopping"/g) ?? [];
      expect(stopping, 'one shutdown').to.have.length(1);
      expect(server.stderr()).not.to.contain('asked again');
    });
  }
});

describe('Stop signals (real process)', () => {
  it('takes a second copy of the signal arriving just after the first (npm forwarding its copy) as the same request', async function () {
    this.timeout(20_000);
    const server = await startChildServer(['--storage', 'memory', '--shutdown-timeout', '2']);
    const room = await createRoom(server.url, 'Stubborn');
    // It ignores the close handshake, so the shutdown lasts until the deadline.
    const stubborn = await RawPeer.connect(server.port, joinPath(room, 'Stubborn'));
    server.process.kill('SIGINT');
    // The first copy has been handled (two copies sent at once would merge in the kernel).
    await eventually('the stopping log line', () => server.stderr().includes('"msg":"stopping"'));
    server.process.kill('SIGINT');
    expect(await server.exited).to.equal(0);
    expect(stubborn.closeFrame).to.deep.equal({ code: 1001, reason: 'server_shutting_down' });
    expect(server.stderr()).to.contain('already stopping').and.not.contain('asked again');
  });

  it('exits at once, with 130, when asked again after the first request', async function () {
    this.timeout(20_000);
    const server = await startChildServer(['--storage', 'memory', '--shutdown-timeout', '15']);
    const room = await createRoom(server.url, 'Stubborn');
    await RawPeer.connect(server.port, joinPath(room, 'Stubborn')); // ignores the close handshake
    server.process.kill('SIGTERM');
    await eventually('the stopping log line', () => server.stderr().includes('"msg":"stopping"'));
    await sleep(1500); // past the window in which a second copy counts as the same request
    server.process.kill('SIGTERM');
    expect(await within('the forced exit', server.exited, 5000)).to.equal(130);
  });
});

describe('Starting with `npm start` (cmd/server/start.mjs)', () => {
  it('runs the compiled server without compiling when nothing changed since the last build', async function () {
    this.timeout(60_000);
    const { code, stdout, stderr } = await run('npm', ['start', '--', '--version'], ROOT);
    expect(code, stderr).to.equal(0);
    expect(stdout).to.contain(`\n${manifest.version}\n`).and.not.contain('> tsc');
    expect(stderr).not.to.contain('compiling');
  });

  describe('in a project of its own', () => {
    let dir: Awaited<ReturnType<typeof makeTempDir>>;
    const main = () => join(dir.path, 'cmd', 'server', 'main.ts');
    const start = () => run(process.execPath, ['cmd/server/start.mjs', 'an-argument'], dir.path);

    before(async () => {
      dir = await makeTempDir();
      for (const sources of ['cmd/server', 'business', 'platform'])
        await mkdir(join(dir.path, sources), { recursive: true });
      for (const script of ['cmd/server/start.mjs', 'cmd/build-when-stale.mjs']) {
        await copyFile(join(ROOT, script), join(dir.path, script));
      }
      await symlink(join(ROOT, 'node_modules'), join(dir.path, 'node_modules'));
      // As the repository's tsconfig.build.json does: nothing is written when a file has errors.
      const compilerOptions = {
        module: 'NodeNext',
        rootDir: '.',
        outDir: 'dist',
        types: ['node'],
        skipLibCheck: true,
        noEmitOnError: true,
      };
      await writeFile(join(dir.path, 'tsconfig.build.json'), JSON.stringify({ compilerOptions }));
      await writeFile(join(dir.path, 'package.json'), '{"type":"module"}');
      await writeFile(main(), 'process.stdout.write(`ran ${process.argv[2]}\\n`);\nexport {};\n');
      // A stand-in for the browser client's build: it writes the file start.mjs dates the bundle by.
      await mkdir(join(dir.path, 'client/web'), { recursive: true });
      await writeFile(
        join(dir.path, 'client/web/build.mjs'),
        "import { mkdirSync, writeFileSync } from 'node:fs';\n" +
          "mkdirSync('dist/web', { recursive: true });\n" +
          "writeFileSync('dist/web/app.css', '');\n",
      );
      await writeFile(join(dir.path, 'client/web/main.ts'), 'export {};\n');
    });

    after(() => dir.remove());

    it('compiles first when there is no compiled output, then runs it with the arguments', async () => {
      const first = await start();
      expect(first.stderr).to.contain('compiling (dist/cmd/server/main.js is missing)');
      expect(first.stderr).to.contain('building the browser client (dist/web/app.css is missing)');
      expect(first.stdout).to.equal('ran an-argument\n');
    });

    it('does not compile again when nothing changed', async () => {
      const again = await start();
      expect(again.stderr).to.equal('');
      expect(again.stdout).to.equal('ran an-argument\n');
    });

    it('compiles again when a source is newer than the compiled output', async () => {
      const later = new Date(Date.now() + 60_000);
      await utimes(main(), later, later);
      const changed = await start();
      expect(changed.stderr).to.contain('compiling (cmd/server/main.ts changed)');
      expect(changed.stderr).not.to.contain('building the browser client');
      expect(changed.stdout).to.equal('ran an-argument\n');
    });

    it('builds the browser client again when one of its files is newer than the bundle', async function () {
      this.timeout(20_000); // the server is compiled again too (main.ts is dated ahead, above)
      const later = new Date(Date.now() + 120_000);
      await utimes(join(dir.path, 'client/web/main.ts'), later, later);
      const changed = await start();
      expect(changed.stderr).to.contain('building the browser client (client/web/main.ts changed)');
      expect(changed.stdout).to.equal('ran an-argument\n');
    });

    it('runs nothing when the source does not compile, and tries again next time', async () => {
      await writeFile(main(), 'const n: number = "not a number";\nexport {};\n');
      for (let attempt = 0; attempt < 2; attempt++) {
        const broken = await start();
        expect(broken.code).to.not.equal(0);
        expect(broken.stderr).to.contain('compiling').and.contain('TS2322');
        expect(broken.stdout).to.equal('');
      }
    });
  });
});

/** Runs a command to completion, collecting what it printed. */
function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
