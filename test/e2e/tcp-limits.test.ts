import { expect } from 'chai';
import { Tokens } from '../../cmd/server/compose.js';
import { resolve } from '../../cmd/server/tokens.js';
import { ConnectionBudget } from '../../platform/lifecycle/connection-budget.js';
import { silentLogger } from '../../platform/logging/logger.js';
import { TcpTransport } from '../../platform/tcp/tcp-transport.js';
import { eventually } from '../support/eventually.js';
import { refusedUpgrade } from '../support/refused-upgrade.js';
import { createRoom } from '../support/rooms.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type ServerEvent } from '../support/ws-client.js';
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

  it('-i disconnects a silent line client with an error line; the room sees idle_timeout; a talking one stays', async () => {
    const { s, port } = await start({ idleTimeoutMs: 400 });
    const room = await createRoom(s.url, 'Lobby');
    const ann = await joinedClient(s.ws(joinPath(room, 'Ann')), 'Ann');
    let talker: LineClient | undefined;
    // Ann and Talker keep talking from the moment each is in; only Sleepy falls silent.
    const chatter = setInterval(() => (ann.send('me too'), talker?.send('still here')), 100);
    try {
      const sleepy = track(await LineClient.telnet(port, 'Sleepy', 'Lobby'));
      talker = track(await LineClient.telnet(port, 'Talker', 'Lobby'));
      await sleepy.ended;
      expect(sleepy.lines.at(-1)).to.equal('! error idle_timeout: you sent nothing for too long');
      const left = await ann.waitFor((e) => e.event_type === 'participant_left');
      expect(left).to.include({ participant: 'Sleepy', reason: 'idle_timeout' });
      await talker.waitFor('* Sleepy left (idle timeout)');
      expect(talker.socket.destroyed).to.equal(false);
    } finally {
      clearInterval(chatter);
    }
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

  it('drops a line client that stops reading, without holding up the room', async function () {
    this.timeout(30_000);
    const { s, port } = await start({ sendBufferLimit: 64 * 1024 });
    const room = await createRoom(s.url, 'Lobby');
    const ann = await joinedClient(s.ws(joinPath(room, 'Ann')), 'Ann');
    const stalled = track(await LineClient.telnet(port, 'Stalled', 'Lobby'));
    stalled.socket.pause();
    const isStalledLeave = (e: ServerEvent): boolean =>
      e.event_type === 'participant_left' && e.participant === 'Stalled';
    // Ann keeps up (she waits for her own echo after each burst); Stalled never reads. The
    // kernel's loopback buffers hide a few megabytes before the server sees a backlog.
    const text = 'x'.repeat(8000);
    for (let burst = 0; burst < 400 && !ann.events.some(isStalledLeave); burst++) {
      for (let i = 0; i < 20; i++) ann.send(`${burst}:${i}:${text}`);
      await ann.waitFor((e) => typeof e.text === 'string' && e.text.startsWith(`${burst}:19:`));
    }
    const left = await ann.waitFor(isStalledLeave);
    expect(left).to.include({ reason: 'slow_consumer' });
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
    const gateway = new TcpTransport(
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
        greetingDelayMs: 0,
        loginTimeoutMs: 300,
        serverName: 'Short Fuse',
        announceAddresses: false,
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
