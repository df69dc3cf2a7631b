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
      .to.contain('(default: 8080, env: PARLEY_PORT)')
      .and.contain('(default: "./data", env: PARLEY_DATA_DIR)')
      .and.contain('(default: 25, env: PARLEY_PING_INTERVAL)');
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
    it(`refuses ${label}: the problem and one line pointing to --help on stderr, exit code 2`, async () => {
      const { code, stdout, stderr } = await runCli([...args]);
      expect(code).to.equal(2);
      const lines = stderr.trimEnd().split('\n');
      expect(lines, stderr).to.have.length(2);
      expect(lines[0])
        .to.match(/^error: /)
        .and.contain(mention);
      expect(lines[1]).to.equal('Run with --help to see every option.');
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

  it('exits 1 naming --port when the HTTP port is taken', async () => {
    const first = await startChildServer(['--storage', 'memory']);
    const second = await runCli(['--storage', 'memory', '-p', String(first.port)]);
    expect(second.code).to.equal(1);
    expect(second.stderr).to.contain('EADDRINUSE').and.contain('cannot start');
    expect(lastLine(second.stderr)).to.equal(
      `error: port ${first.port} (HTTP and WebSocket) is already in use on 127.0.0.1, perhaps by another Parley: choose another with --port`,
    );
    first.process.kill('SIGTERM');
    await first.exited;
  });

  it('exits 1 naming --tcp-port when the line port is taken (a second instance on port 4000)', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const second = await runCli(['--storage', 'memory', '-p', '0', '--tcp-port', String(port)]);
      expect(second.code).to.equal(1);
      expect(lastLine(second.stderr))
        .to.contain(`port ${port} (the telnet/netcat line driver) is already in use`)
        .and.contain('choose another with --tcp-port, or --tcp-port 0 to turn the line driver off');
    } finally {
      taken.close();
    }
  });

  it('warns about a PARLEY_ variable that names no option, and starts all the same', async () => {
    const server = await startChildServer(['--storage', 'memory'], {
      PARLEY_PROT: '9000',
      PARLEY_CONFIG: 'parley.json',
    });
    expect(server.stderr())
      .to.contain(
        'warning: PARLEY_PROT is ignored: no option has that name (did you mean PARLEY_PORT?)',
      )
      .and.contain(
        'warning: PARLEY_CONFIG is ignored: --config is read from the command line only',
      );
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
  });

  it('refuses at start, exit code 2, a --max-memory below what the server uses with no client', async () => {
    const { code, stdout, stderr } = await runCli([
      '--storage',
      'memory',
      '-p',
      '0',
      '--max-memory',
      '1',
    ]);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(lastLine(stderr))
      .to.match(
        /^error: --max-memory 1 is too low: Parley already uses \d+ MB with no client connected/,
      )
      .and.contain('give well above');
  });
});

/** The last line written: where the sentence for a person goes, below the JSON log. */
function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

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
