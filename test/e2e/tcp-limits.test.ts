import { expect } from 'chai';
import { Tokens } from '../../cmd/server/compose.js';
import { resolve } from '../../cmd/server/tokens.js';
import { ConnectionBudget } from '../../platform/lifecycle/connection-budget.js';
import { silentLogger } from '../../platform/logging/logger.js';
import { TcpTransport } from '../../platform/tcp/tcp-transport.js';
import { TelnetDialect } from '../../platform/dialects/telnet-dialect.js';
import { eventually } from '../support/eventually.js';
import { refusedUpgrade } from '../support/refused-upgrade.js';
import { createRoom } from '../support/rooms.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';
import type { ParleyConfig } from '../../platform/config/parley-config.js';

describe('TCP line clients under the same limits as WebSocket ones', () => {
  let server: TestServer | undefined;
  const open: LineClient[] = [];
  const track = (client: LineClient): LineClient => (open.push(client), client);

  async function start(overrides: Partial<ParleyConfig>): Promise<{ s: TestServer; port: number }> {
    const s = await startTestServer({
      storage: 'memory',
      tcpPort: await freeTcpPort(),
      ...overrides,
    });
    server = s;
    return { s, port: s.parley.tcpPort ?? 0 };
  }

  afterEach(async () => {
    for (const client of open.splice(0)) client.close();
    await server?.stop();
    server = undefined;
  });

  it('--tcp-port 0 turns the line driver off', async () => {
    const { s } = await start({ tcpPort: 0 });
    expect(s.parley.tcpPort).to.equal(undefined);
    expect(resolve(s.parley.container, Tokens.TcpTransport).sessions.size).to.equal(0);
  });

  it('-n counts WebSocket and TCP clients together: the one too many gets an error line (TCP) or 503 (WebSocket)', async () => {
    const { s, port } = await start({ maxConnections: 2 });
    const gateway = resolve(s.parley.container, Tokens.TcpTransport).sessions;
    const room = await createRoom(s.url, 'Lobby');
    const ann = await joinedClient(s.ws(joinPath(room, 'Ann')), 'Ann');
    const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
    const third = track(await LineClient.connect(port));
    await third.ended;
    expect(third.lines).to.deep.equal([
      '! error server_full: this server takes at most 2 connections',
    ]);
    const refused = await refusedUpgrade(s.ws(joinPath(room, 'Carol')));
    expect(refused.status).to.equal(503);
    john.send('/quit');
    await ann.waitFor((e) => e.event_type === 'participant_left' && e.participant === 'John');
    await eventually('a place freed by the quit', () => gateway.size === 0);
    const next = track(await LineClient.connect(port));
    await next.waitFor('Your nickname?');
    await ann.close();
  });

  it('shutdown says goodbye to every line client (joined or at a prompt), then closes them', async () => {
    const { s, port } = await start({});
    const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
    const prompt = track(await LineClient.connect(port));
    await prompt.waitFor('Your nickname?');
    await s.stop();
    server = undefined;
    await Promise.all([john.ended, prompt.ended]);
    for (const client of [john, prompt]) {
      expect(client.lines.at(-1)).to.equal('*** The server is shutting down. Goodbye.');
    }
  });

  it('under memory pressure sheds line clients like WebSocket ones and turns newcomers away', async () => {
    const { s, port } = await start({});
    const gateway = resolve(s.parley.container, Tokens.TcpTransport).sessions;
    const room = await createRoom(s.url, 'Lobby');
    const ann = await joinedClient(s.ws(joinPath(room, 'Ann')), 'Ann');
    const john = track(await LineClient.telnet(port, 'John', 'Lobby'));
    gateway.setOverloaded(true);
    const newcomer = track(await LineClient.connect(port));
    await newcomer.ended;
    expect(newcomer.lines).to.deep.equal([
      '! error overloaded: the server is short of memory; try again later',
    ]);
    const clients = [...gateway.sheddableClients()];
    expect(clients).to.have.length(1);
    clients[0]?.shed();
    await john.ended;
    expect(john.lines.at(-1)).to.equal(
      '! error overloaded: the server is short of memory; try again later',
    );
    const left = await ann.waitFor((e) => e.event_type === 'participant_left');
    expect(left).to.include({ participant: 'John', reason: 'overloaded' });
    gateway.setOverloaded(false);
    track(await LineClient.telnet(port, 'Later', 'Lobby'));
    await ann.close();
  });

  it('lets go of a client that never joins a room', async () => {
    const { s } = await start({});
    const c = s.parley.container;
    const services = {
      chat: resolve(c, Tokens.ChatService),
      commands: resolve(c, Tokens.CommandRunner),
      logger: silentLogger(),
    };
    const port = await freeTcpPort();
    const dialect = new TelnetDialect({
      greetingDelayMs: 0,
      loginTimeoutMs: 300,
      serverName: 'Short Fuse',
      announceAddresses: false,
    });
    const gateway = new TcpTransport(
      'tcp',
      dialect,
      services,
      resolve(c, Tokens.Audit),
      {
        host: '127.0.0.1',
        port,
        idleTimeoutMs: 0,
        pingIntervalMs: 25_000,
        pongTimeoutMs: 200,
        maxLineBytes: 1024,
        sendBufferLimit: 1 << 20,
        closeGraceMs: 200,
      },
      new ConnectionBudget(0),
      silentLogger(),
    );
    await gateway.listen();
    try {
      const client = track(await LineClient.connect(port));
      await client.waitFor(
        '*** Welcome to Parley (Short Fuse)! Lines starting with / are commands; /help lists them.',
      );
      await client.ended;
      expect(client.lines.at(-1)).to.equal('! error idle_timeout: you did not join a room in time');
    } finally {
      await gateway.shutdown(Date.now() + 1000);
    }
  });
});
