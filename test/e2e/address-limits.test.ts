import { expect } from 'chai';
import request from 'supertest';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { PantzClient } from '../support/pantz-client.js';
import { refusedUpgrade } from '../support/refused-upgrade.js';
import { createRoom } from '../support/rooms.js';
import { SseTestClient, StreamRefused } from '../support/sse-client.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, TestClient } from '../support/ws-client.js';

/** Every client of these tests comes from 127.0.0.1: one peer address. */
describe('Limits per peer address', () => {
  let server: TestServer;
  let tcpPort: number;

  afterEach(() => server.stop());

  describe('--max-connections-per-ip', () => {
    beforeEach(async () => {
      tcpPort = await freeTcpPort();
      server = await startTestServer({ storage: 'memory', tcpPort, maxConnectionsPerIp: 3 });
    });

    async function sseRefusal(room: string, name: string): Promise<StreamRefused> {
      try {
        await SseTestClient.connect(server.url, room, name);
      } catch (error) {
        if (error instanceof StreamRefused) return error;
        throw error;
      }
      throw new Error('the stream was accepted');
    }

    it('counts WebSocket, TCP and SSE connections together; one more is refused 429 too_many_connections on each, and taken again once one closes', async () => {
      const room = await createRoom(server.url, 'Busy');
      const ws = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const tcp = await LineClient.telnet(tcpPort, 'Bob', 'Busy');
      const sse = await SseTestClient.connect(server.url, room, 'Cid');

      const upgrade = await refusedUpgrade(server.ws(joinPath(room, 'Dan')));
      expect(upgrade.status).to.equal(429);
      expect(JSON.parse(upgrade.body)).to.deep.equal({
        error: {
          code: 'too_many_connections',
          message: 'at most 3 connections at once from one address',
        },
      });
      const stream = await sseRefusal(room, 'Eve');
      expect(stream).to.include({ status: 429, code: 'too_many_connections' });
      const line = await LineClient.connect(tcpPort);
      await line.waitFor(/^! error too_many_connections: at most 3 connections/);
      await line.ended;
      // Plain HTTP requests do not count: the REST API still answers.
      await request(server.url).get(`/chat/${room}`).expect(200);

      await ws.close();
      await tcp.waitFor(/^\* Ann left/);
      const again = await joinedClient(server.ws(joinPath(room, 'Dan')), 'Dan');
      await Promise.all([again.close(), sse.close(), tcp.finish()]);
    });
  });

  describe('--room-creation-rate', () => {
    beforeEach(async () => {
      tcpPort = await freeTcpPort();
      server = await startTestServer({ storage: 'memory', tcpPort, roomCreationRate: 3 });
    });

    it('POST /chat: past the rate, 429 too_many_rooms_created; the rooms that exist stay usable', async () => {
      const first = await createRoom(server.url, 'One');
      await createRoom(server.url, 'Two');
      await createRoom(server.url, 'Three');
      const refused = await request(server.url).post('/chat?name=Four').expect(429);
      expect(refused.body).to.deep.equal({
        error: {
          code: 'too_many_rooms_created',
          message: 'at most 3 rooms a minute may be created from one address; try again later',
        },
      });
      const list = await request(server.url).get('/chat').expect(200);
      expect(list.body).to.have.length(3);
      const ann = await joinedClient(server.ws(joinPath(first, 'Ann')), 'Ann');
      await ann.close();
    });

    it('a join that creates counts too (WebSocket by URL, TCP, /join); joining rooms that exist does not', async () => {
      const ws = await TestClient.connect(server.ws('/Created1/Ann')); // chattypantz's URL form creates
      await ws.waitForType('participant_joined');
      const tcp = await LineClient.telnet(tcpPort, 'Bob', 'Created2');
      tcp.send('/join Created3');
      await tcp.waitFor(/^\* You are now in #Created3/);
      tcp.send('/join Created4');
      await tcp.waitFor(/^! error too_many_rooms_created: /);
      const refused = await TestClient.connect(server.ws('/Created5/Cid'));
      expect(await refused.closed).to.deep.equal({ code: 1008, reason: 'too_many_rooms_created' });
      expect(refused.ofType('error')[0]).to.include({ code: 'too_many_rooms_created' });
      // Rooms that exist, by name or id, on every way in: never limited.
      const dan = await TestClient.connect(server.ws('/Created1/Dan'));
      await dan.waitForType('participant_joined');
      tcp.send('/join Created2');
      await tcp.waitFor(/^\* You are now in #Created2/);
      await request(server.url).post('/chat?name=More').expect(429);
      const names = ((await request(server.url).get('/chat')).body as { name: string }[]).map(
        (room) => room.name,
      );
      expect(names).to.deep.equal(['Created1', 'Created2', 'Created3']);
      await Promise.all([ws.close(), dan.close(), tcp.finish()]);
    });

    it('chattypantz: a request naming a new room past the rate is refused; an existing room still joins', async () => {
      for (const name of ['One', 'Two', 'Three']) await createRoom(server.url, name);
      const pantz = await PantzClient.connect(server.ws('/v1.0/chat'));
      await pantz.ask(JSON.stringify({ reqType: 101, content: 'Ann' }));
      const refused = JSON.parse(
        await pantz.ask(JSON.stringify({ roomName: 'Four', reqType: 104 })),
      ) as { rspType: number; content: string };
      expect(refused.rspType).to.equal(1003); // chattypantz's "room unavailable"
      expect(refused.content).to.match(/at most 3 rooms a minute/);
      const joined = JSON.parse(
        await pantz.ask(JSON.stringify({ roomName: 'One', reqType: 104 })),
      ) as { rspType: number };
      expect(joined.rspType).to.equal(104);
      await pantz.close();
    });
  });
});
