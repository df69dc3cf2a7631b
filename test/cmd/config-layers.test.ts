import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCommandLine, type CliOutcome } from '../../cmd/server/cli.js';
import type { ParleyConfig } from '../../platform/config/parley-config.js';
import { withEnvironment } from '../support/environment.js';
import { makeTempDir } from '../support/temp-dir.js';

interface Parsed {
  outcome: CliOutcome;
  stderr: string;
}

/** Parses as the server would with only these Parley variables in its environment. */
function parse(argv: string[], env: Record<string, string> = {}): Parsed {
  let stderr = '';
  const output = { out: () => undefined, err: (text: string) => (stderr += text) };
  return withEnvironment(env, () => ({ outcome: parseCommandLine(argv, output, '0.0.0'), stderr }));
}

function configOf(parsed: Parsed): ParleyConfig {
  if (parsed.outcome.kind !== 'run') throw new Error(`expected a config, got: ${parsed.stderr}`);
  return parsed.outcome.config;
}

function refusal(parsed: Parsed): string {
  expect(parsed.outcome).to.deep.equal({ kind: 'exit', code: 2 });
  return parsed.stderr;
}

describe('Configuration layers: flag > environment > config file > default', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => (dir = await makeTempDir()));
  afterEach(() => dir.remove());

  async function configFile(content: unknown): Promise<string> {
    const path = join(dir.path, 'parley.json');
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  it('takes every kind of value from a config file', async () => {
    const path = await configFile({
      port: 9000,
      host: '0.0.0.0',
      storage: 'memory',
      history: 5,
      idle: 1.5,
      connections: 10,
      rooms: 3,
      debug: true,
      announceAddresses: true,
      maxMemory: 64,
    });
    const config = configOf(parse(['-c', path]));
    expect(config).to.include({
      port: 9000,
      host: '0.0.0.0',
      storage: 'memory',
      historyOnJoin: 5,
      idleTimeoutMs: 1500,
      maxConnections: 10,
      maxRooms: 3,
      logLevel: 'debug',
      announceAddresses: true,
      maxMemoryBytes: 64 * 1024 * 1024,
    });
  });

  it('reads the Redis settings from the file, PARLEY_REDIS_URL and the flags, and refuses a URL that is not Redis', async () => {
    const path = await configFile({
      storage: 'redis',
      redisUrl: 'redis://file:6379/1',
      nodeTtl: 4,
    });
    const fromFile = configOf(parse(['-c', path]));
    expect(fromFile).to.include({
      storage: 'redis',
      redisUrl: 'redis://file:6379/1',
      nodeTtlMs: 4000,
    });
    const env = { PARLEY_REDIS_URL: 'redis://env:6380/2', PARLEY_NODE_ID: 'n1' };
    expect(configOf(parse(['-c', path], env))).to.include({
      redisUrl: 'redis://env:6380/2',
      nodeId: 'n1',
    });
    const flag = configOf(parse(['-c', path, '--redis-url', 'rediss://u:p@flag:1/0'], env));
    expect(flag.redisUrl).to.equal('rediss://u:p@flag:1/0');
    for (const bad of ['http://x:1/0', 'redis://x:1/zero', 'nonsense']) {
      expect(refusal(parse(['--redis-url', bad]))).to.contain('expected a Redis URL');
    }
  });

  it('lets the environment beat the file and a flag beat both', async () => {
    const path = await configFile({ port: 9000, history: 5, rooms: 3 });
    const env = { PARLEY_PORT: '9001', PARLEY_HISTORY: '6' };
    const config = configOf(parse(['--config', path, '-y', '7'], env));
    expect(config.port).to.equal(9001); // env over file
    expect(config.historyOnJoin).to.equal(7); // flag over env
    expect(config.maxRooms).to.equal(3); // file over default
  });

  it('lets a flag beat the file wherever it stands on the command line', async () => {
    const path = await configFile({ history: 5, port: 9000 });
    const config = configOf(parse(['-y', '7', '-c', path, '-p', '9002']));
    expect(config).to.include({ historyOnJoin: 7, port: 9002 });
  });

  it('finds the config file in every form commander reads, and not in the value of another flag', async () => {
    const path = await configFile({ rooms: 3 });
    expect(configOf(parse([`--config=${path}`])).maxRooms).to.equal(3);
    expect(configOf(parse([`-c${path}`])).maxRooms).to.equal(3);
    const named = configOf(parse(['-N', '-c', '-r', '4']));
    expect(named).to.include({ serverName: '-c', maxRooms: 4 });
  });

  it('answers --help even when the config file is bad', async () => {
    const path = await configFile('{port: 80');
    expect(parse(['-c', path, '--help']).outcome).to.deep.equal({ kind: 'exit', code: 0 });
  });

  it('reads a switch as on or off from every layer: PARLEY_DEBUG=false is off', async () => {
    expect(configOf(parse([], { PARLEY_DEBUG: 'false' })).logLevel).to.equal('info');
    expect(configOf(parse([], { PARLEY_DEBUG: 'off' })).logLevel).to.equal('info');
    expect(configOf(parse([], { PARLEY_DEBUG: 'on' })).logLevel).to.equal('debug');
    expect(configOf(parse([], { PARLEY_ANNOUNCE_ADDRESSES: 'yes' })).announceAddresses).to.equal(
      true,
    );
    expect(configOf(parse(['-d'])).logLevel).to.equal('debug');
    expect(configOf(parse(['--debug', 'off'], { PARLEY_DEBUG: '1' })).logLevel).to.equal('info');
    expect(configOf(parse(['--debug=no'])).logLevel).to.equal('info');
    const path = await configFile({ debug: true, announceAddresses: false });
    expect(configOf(parse(['-c', path]))).to.include({
      logLevel: 'debug',
      announceAddresses: false,
    });
    expect(configOf(parse(['-c', path], { PARLEY_DEBUG: 'no' })).logLevel).to.equal('info');
  });

  it('still reads short switches run together with the next flag (-dN name)', () => {
    expect(configOf(parse(['-dN', 'Testy']))).to.include({
      logLevel: 'debug',
      serverName: 'Testy',
    });
  });

  it('counts a variable set to nothing as unset', async () => {
    const path = await configFile({ port: 9000, name: 'from-file' });
    const config = configOf(parse(['-c', path], { PARLEY_PORT: '', PARLEY_NAME: '', PORT: '' }));
    expect(config).to.include({ port: 9000, serverName: 'from-file' });
  });

  it('takes PORT above the file and refuses a bad one, naming it (exit 2)', async () => {
    const path = await configFile({ port: 9000 });
    expect(configOf(parse(['-c', path], { PORT: '7000' })).port).to.equal(7000);
    expect(refusal(parse([], { PORT: 'eighty' })))
      .to.contain("from env 'PORT'")
      .and.contain('expected a whole number from 0 to 65535');
  });

  it('reads PARLEY_* names for multi-word options and PORT below PARLEY_PORT', () => {
    const env = { PARLEY_DATA_DIR: '/var/parley', PARLEY_MAX_MESSAGE_BYTES: '1024', PORT: '7000' };
    expect(configOf(parse([], env))).to.include({
      dataDir: '/var/parley',
      maxMessageBytes: 1024,
      port: 7000,
    });
    expect(configOf(parse([], { PORT: '7000', PARLEY_PORT: '7001' })).port).to.equal(7001);
  });

  it('keeps the defaults when nothing is set', () => {
    expect(configOf(parse([]))).to.include({
      port: 8080,
      host: '127.0.0.1',
      idleTimeoutMs: 0,
      maxConnections: 0,
      maxRooms: 0,
      retention: 10_000,
      announceAddresses: false,
      inspectPort: undefined,
    });
  });

  it('takes chattypantz short flags', () => {
    const config = configOf(parse(['-n', '5', '-r', '2', '-i', '30', '-y', '3', '-L', '9229']));
    expect(config).to.include({
      maxConnections: 5,
      maxRooms: 2,
      idleTimeoutMs: 30_000,
      historyOnJoin: 3,
      inspectPort: 9229,
    });
  });

  for (const [label, content, mention] of [
    ['an unknown key', { prot: 80 }, 'unknown key "prot"'],
    ['a bad value', { port: 'eighty' }, '"port"'],
    ['a value of the wrong type', { debug: 'yes' }, '"debug"'],
    ['a storage that does not exist', { storage: 'disk' }, '"storage"'],
    ['a file that is not JSON', '{port: 80', 'is not JSON'],
    ['a JSON array', [1, 2], 'one JSON object'],
  ] as const) {
    it(`refuses ${label} in the config file, naming it (exit 2)`, async () => {
      const path = await configFile(content);
      expect(refusal(parse(['-c', path])))
        .to.contain(mention)
        .and.contain(path);
    });
  }

  it('refuses a config file that does not exist (exit 2)', () => {
    const path = join(dir.path, 'missing.json');
    expect(refusal(parse(['-c', path])))
      .to.contain('cannot read config file')
      .and.contain(path);
  });

  it('refuses a bad environment value, naming the variable (exit 2)', () => {
    expect(refusal(parse([], { PARLEY_IDLE: 'soon' }))).to.contain('PARLEY_IDLE');
    expect(refusal(parse([], { PARLEY_DEBUG: 'maybe' }))).to.contain('PARLEY_DEBUG');
  });

  it('takes the line driver and audit settings from flags, variables and the file', async () => {
    const path = await configFile({ auditLogFiles: 3 });
    const config = configOf(
      parse(['--tcp-port', '4100', '--audit-log', '/var/log/parley.jsonl', '-c', path], {
        PARLEY_AUDIT_LOG_MAX_BYTES: '2048',
      }),
    );
    expect(config).to.include({
      tcpPort: 4100,
      auditLog: '/var/log/parley.jsonl',
      auditLogMaxBytes: 2048,
      auditLogFiles: 3,
    });
    expect(configOf(parse([]))).to.include({ tcpPort: 4000, auditLog: '' });
  });

  it('refuses a line driver port equal to the HTTP port, or out of range (exit 2)', () => {
    expect(refusal(parse(['-p', '5000', '--tcp-port', '5000']))).to.contain('--tcp-port');
    expect(refusal(parse(['--tcp-port', '70000']))).to.contain('--tcp-port');
    expect(refusal(parse(['--audit-log-files', '0']))).to.contain('--audit-log-files');
  });

  it('refuses a history longer than the retention (exit 2)', () => {
    expect(refusal(parse(['--retention', '10', '-y', '20']))).to.contain('--retention');
  });
});
