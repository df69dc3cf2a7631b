import { expect } from 'chai';
import request from 'supertest';
import { WebSocket } from 'ws';
import { Tokens } from '../../cmd/server/compose.js';
import { resolve } from '../../cmd/server/tokens.js';
import { refusedUpgrade } from '../support/refused-upgrade.js';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, TestClient } from '../support/ws-client.js';

describe('Limits that protect the server', () => {
  describe('-n/--connections', () => {
    let server: TestServer;
    before(async () => (server = await startTestServer({ maxConnections: 2, storage: 'memory' })));
    after(() => server.stop());

    it('answers 503 server_full past the limit, leaves existing clients alone, and takes clients again once one leaves', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      const refused = await refusedUpgrade(server.ws(joinPath(room, 'Cid')));
      expect(refused.status).to.equal(503);
      expect(JSON.parse(refused.body)).to.deep.include({
        error: { code: 'server_full', message: 'this server takes at most 2 connections' },
      });
      ann.send('still here');
      await bob.waitFor((e) => e.event_type === 'message' && e.text === 'still here');
      await ann.close();
      await bob.waitFor((e) => e.event_type === 'participant_left' && e.participant === 'Ann');
      const cid = await joinedClient(server.ws(joinPath(room, 'Cid')), 'Cid');
      await Promise.all([bob.close(), cid.close()]);
    });
  });

  describe('-r/--rooms', () => {
    let server: TestServer;
    before(async () => (server = await startTestServer({ maxRooms: 2 })));
    after(() => server.stop());

    it('refuses one room more with 403 room_limit_reached; existing rooms stay usable', async () => {
      const first = await createRoom(server.url, 'One');
      await createRoom(server.url, 'Two');
      const refused = await request(server.url).post('/chat?name=Three').expect(403);
      expect(refused.body).to.deep.equal({
        error: { code: 'room_limit_reached', message: 'this server holds at most 2 rooms' },
      });
      const list = await request(server.url).get('/chat').expect(200);
      expect((list.body as { name: string }[]).map((room) => room.name)).to.deep.equal([
        'One',
        'Two',
      ]);
      const ann = await joinedClient(server.ws(joinPath(first, 'Ann')), 'Ann');
      ann.send('hello');
      await ann.waitFor((e) => e.event_type === 'message' && e.text === 'hello');
      await ann.close();
    });
  });

  describe('-i/--idle', () => {
    let server: TestServer;
    before(async () => (server = await startTestServer({ idleTimeoutMs: 400, storage: 'memory' })));
    after(() => server.stop());

    it('disconnects a silent client with idle_timeout and 4001; the room sees it leave', async () => {
      const room = await createRoom(server.url);
      const idle = await joinedClient(server.ws(joinPath(room, 'Idle')), 'Idle');
      const busy = await joinedClient(server.ws(joinPath(room, 'Busy')), 'Busy');
      const chatter = setInterval(() => busy.send('still talking'), 100);
      try {
        const closed = await idle.closed;
        expect(closed).to.deep.equal({ code: 4001, reason: 'idle_timeout' });
        expect(idle.ofType('error')[0]).to.include({ code: 'idle_timeout' });
        const left = await busy.waitFor(
          (e) => e.event_type === 'participant_left' && e.participant === 'Idle',
        );
        expect(left).to.include({ reason: 'idle_timeout' });
        // Busy has been in the room longer than the timeout, but it talks: it stays.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(busy.socket.readyState).to.equal(WebSocket.OPEN);
      } finally {
        clearInterval(chatter);
      }
      await busy.close();
    });

    it('does not count the server’s pings and the client’s pongs as activity', async () => {
      const room = await createRoom(server.url);
      const quiet = await TestClient.connect(server.ws(joinPath(room, 'Quiet')));
      const started = Date.now();
      expect((await quiet.closed).code).to.equal(4001);
      expect(Date.now() - started).to.be.within(300, 1500);
    });
  });

  describe('--announce-addresses', () => {
    it('is off by default: join and leave events carry no address', async () => {
      const server = await startTestServer({ storage: 'memory' });
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      await bob.close();
      const left = await ann.waitForType('participant_left');
      const joined = ann.ofType('participant_joined');
      for (const event of [left, ...joined]) expect(event).to.not.have.any.keys('address', 'port');
      await ann.close();
      await server.stop();
    });

    it('when on, adds the client’s address and port to participant_joined and participant_left', async () => {
      const server = await startTestServer({ storage: 'memory', announceAddresses: true });
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      const bobPort = (bob.socket as unknown as { _socket: { localPort: number } })._socket
        .localPort;
      const joined = await ann.waitFor(
        (e) => e.event_type === 'participant_joined' && e.participant === 'Bob',
      );
      expect(joined).to.include({ address: '127.0.0.1', port: bobPort });
      await bob.close();
      const left = await ann.waitForType('participant_left');
      expect(left).to.include({ participant: 'Bob', address: '127.0.0.1', port: bobPort });
      const details = await request(server.url).get(`/chat/${room}`).expect(200);
      expect(JSON.stringify(details.body)).to.not.contain('127.0.0.1'); // never listed by REST
      await ann.close();
      await server.stop();
    });
  });
});

describe('Memory pressure, through the gateway', () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ storage: 'memory', pongTimeoutMs: 500 })));
  after(() => server.stop());

  it('sheds the most idle clients with overloaded and 1013, refuses newcomers with 503, then takes them again', async () => {
    const gateway = resolve(server.parley.container, Tokens.WsTransport).sessions;
    const room = await createRoom(server.url);
    const sleepy = await joinedClient(server.ws(joinPath(room, 'Sleepy')), 'Sleepy');
    const chatty = await joinedClient(server.ws(joinPath(room, 'Chatty')), 'Chatty');
    chatty.send('I am awake');
    await chatty.waitFor((e) => e.event_type === 'message');

    gateway.setOverloaded(true);
    const byIdleness = [...gateway.sheddableClients()].sort(
      (a, b) => a.lastHeardAt - b.lastHeardAt,
    );
    expect(byIdleness).to.have.length(2);
    byIdleness[0]?.shed();
    expect(await sleepy.closed).to.deep.equal({ code: 1013, reason: 'overloaded' });
    expect(sleepy.ofType('error')[0]).to.include({ code: 'overloaded' });
    const left = await chatty.waitFor((e) => e.event_type === 'participant_left');
    expect(left).to.include({ participant: 'Sleepy', reason: 'overloaded' });
    const refused = await refusedUpgrade(server.ws(joinPath(room, 'Newcomer')));
    expect(refused.status).to.equal(503);
    expect(JSON.parse(refused.body)).to.have.nested.property('error.code', 'overloaded');
    await request(server.url).get('/ping').expect(200, 'pong');

    gateway.setOverloaded(false);
    const newcomer = await joinedClient(server.ws(joinPath(room, 'Newcomer')), 'Newcomer');
    await Promise.all([chatty.close(), newcomer.close()]);
  });
});
