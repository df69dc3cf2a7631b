import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import request from 'supertest';
import { runCli, startChildServer } from '../support/child-server.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

const manifest = JSON.parse(
  await readFile(new URL('../../../package.json', import.meta.url), 'utf8'),
) as { version: string };

describe('Command line', () => {
  it('prints every option with its default for --help and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).to.equal(0);
    for (const flag of [
      '-p, --port',
      '-H, --host',
      '-N, --name',
      '-d, --debug',
      '--storage',
      '--data-dir',
      '-y, --history',
      '--fsync',
      '--max-message-bytes',
      '--send-buffer-limit',
      '--ping-interval',
      '--pong-timeout',
      '--presence-batch-above',
      '--presence-batch-interval',
      '--shutdown-timeout',
      '-c, --config',
      '-n, --connections',
      '-r, --rooms',
      '--retention',
      '-i, --idle',
      '--announce-addresses',
      '--max-memory',
      '-L, --inspect',
      'PARLEY_',
      '-V, --version',
      '-h, --help',
    ]) {
      expect(stdout).to.contain(flag);
    }
    const help = stdout.replace(/\s+/g, ' '); // independent of line wrapping
    expect(help)
      .to.contain('(default: 8080')
      .and.contain('(default: "./data")')
      .and.contain('(default: 25)');
  });

  it('prints the package version for -V and exits 0', async () => {
    const { code, stdout } = await runCli(['-V']);
    expect(code).to.equal(0);
    expect(stdout.trim()).to.equal(manifest.version);
  });

  for (const [label, args, mention] of [
    ['an unknown flag', ['--bogus'], "unknown option '--bogus'"],
    ['a port that is not a number', ['-p', 'abc'], '--port'],
    ['a port out of range', ['-p', '70000'], '--port'],
    ['an unknown storage kind', ['--storage', 'disk'], '--storage'],
    ['a negative history', ['--history', '-1'], '--history'],
    [
      'a pong timeout not below the ping interval',
      ['--ping-interval', '5', '--pong-timeout', '5'],
      '--pong-timeout',
    ],
    ['a stray argument', ['serve'], 'too many arguments'],
  ] as const) {
    it(`refuses ${label}: the problem and the usage on stderr, exit code 2`, async () => {
      const { code, stdout, stderr } = await runCli([...args]);
      expect(code).to.equal(2);
      expect(stderr).to.contain(mention).and.contain('Usage: parley');
      expect(stdout).to.equal('');
    });
  }

  it('prints exactly one line on stdout, with the real port when asked for port 0', async () => {
    const server = await startChildServer(['--storage', 'memory']);
    expect(server.stdout()).to.match(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(server.port).to.be.greaterThan(0);
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
  });

  it('takes the port from PORT when no flag is given', async () => {
    const server = await startChildServer(['--storage', 'memory'], { PORT: '0' });
    expect(server.port).to.be.greaterThan(0);
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
  });

  it('-L opens the Node inspector on 127.0.0.1 at that port', async () => {
    const inspectPort = await freePort();
    const server = await startChildServer(['--storage', 'memory', '-L', String(inspectPort)]);
    const response = await fetch(`http://127.0.0.1:${inspectPort}/json/version`);
    expect(response.status).to.equal(200);
    expect(((await response.json()) as { Browser: string }).Browser).to.match(/^node\.js/);
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
  });

  it('exits 1 with a clear log line when the port is taken', async () => {
    const first = await startChildServer(['--storage', 'memory']);
    const second = await runCli(['--storage', 'memory', '-p', String(first.port)]);
    expect(second.code).to.equal(1);
    expect(second.stderr).to.contain('EADDRINUSE').and.contain('cannot start');
    first.process.kill('SIGTERM');
    await first.exited;
  });
});

describe('Logging flags', () => {
  it('-d logs debug detail and -N names the server in every log line', async () => {
    const server = await startChildServer(['--storage', 'memory', '-d', '-N', 'Testy']);
    const room = (
      (await request(server.url).post('/chat?name=Logs').expect(201)).body as { id: string }
    ).id;
    const client = await joinedClient(
      server.url.replace(/^http/, 'ws') + joinPath(room, 'Ann'),
      'Ann',
    );
    await client.close();
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    const lines = server
      .stderr()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; server?: string; msg: string });
    expect(lines.every((line) => line.server === 'Testy')).to.equal(true);
    expect(lines.filter((line) => line.level === 20).map((line) => line.msg)).to.include.members([
      'joined',
      'connection closed',
    ]);
  });

  it('logs no debug lines without -d', async () => {
    const server = await startChildServer(['--storage', 'memory']);
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    expect(server.stderr()).to.contain('"level":30').and.not.contain('"level":20');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
