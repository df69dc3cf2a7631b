import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, startChildServer, type ChildServer } from '../support/child-server.js';

const HEALTHCHECK = fileURLToPath(new URL('../../cmd/server/healthcheck.js', import.meta.url));

/** Runs the health check as Docker does; resolves with its exit code and what it said. */
function healthcheck(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HEALTHCHECK, ...args], {
      env: { ...process.env, PORT: undefined },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stderr }));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('The Docker health check (cmd/server/healthcheck, real processes)', () => {
  let server: ChildServer | undefined;
  afterEach(async () => {
    server?.process.kill('SIGTERM');
    await server?.exited;
    server = undefined;
  });

  it('reads the port from the flags of the server process (--pid): healthy on --port N', async () => {
    const port = await freePort();
    server = await startChildServer(['--storage', 'memory', '--port', String(port)]);
    const { code, stderr } = await healthcheck(['--pid', String(server.process.pid)]);
    expect(code, stderr).to.equal(0);
  });

  it('reads the port from the environment of the server process: healthy on PARLEY_PORT=N', async () => {
    const port = await freePort();
    server = await startChildServer(['--storage', 'memory'], { PARLEY_PORT: String(port) });
    expect(server.port).to.equal(port);
    const { code, stderr } = await healthcheck(['--pid', String(server.process.pid)]);
    expect(code, stderr).to.equal(0);
  });

  it('takes the server flags itself when given no --pid', async () => {
    const port = await freePort();
    server = await startChildServer(['--storage', 'memory', '-p', String(port)]);
    expect((await healthcheck(['-p', String(port)])).code).to.equal(0);
  });

  it('is unhealthy, exit 1 with the reason, when nothing answers on that port', async () => {
    const port = await freePort();
    const { code, stderr } = await healthcheck(['--port', String(port)]);
    expect(code).to.equal(1);
    expect(stderr).to.contain(`unhealthy: http://127.0.0.1:${port}/healthz`);
  });

  it('is what the Dockerfile runs, against PID 1 (the server), on the current Node LTS', async () => {
    const dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(bases).to.have.length.greaterThan(0);
    for (const base of bases) expect(base).to.match(/^node:24-/);
    const check = /^HEALTHCHECK (?:[^\n]*\\\n)*[^\n]*/m.exec(dockerfile)?.[0] ?? '';
    expect(check).to.contain('CMD ["node", "dist/cmd/server/healthcheck.js", "--pid", "1"]');
    expect(check).not.to.contain('PORT');
    expect(dockerfile).to.match(/^ENTRYPOINT \["node", "dist\/cmd\/server\/main\.js"/m);
  });
});
