import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import request from 'supertest';
import { startParley } from '../../cmd/server/compose.js';
import { DEFAULT_CONFIG } from '../../platform/config/parley-config.js';
import { capturedLogger, LEVEL } from '../support/captured-logger.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { createRoom } from '../support/rooms.js';
import { SseTestClient } from '../support/sse-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinedClient, TestClient } from '../support/ws-client.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';

const TOKEN = 'admin-s3cret-token';
const AUTH = `Bearer ${TOKEN}`;

describe('Admin API', () => {
  describe('without --admin-token', () => {
    let server: TestServer;
    before(async () => (server = await startTestServer({ storage: 'memory' })));
    after(() => server.stop());

    it('answers 404 on every admin route, DELETE /chat/:id included, even with a token', async () => {
      const room = await createRoom(server.url, 'Lobby');
      const api = request(server.url);
      const answers = await Promise.all([
        api.post('/admin/broadcast').set('Authorization', AUTH).send({ text: 'hi' }),
        api.delete(`/chat/${room}`).set('Authorization', AUTH),
        api.post(`/admin/rooms/${room}/kick`).set('Authorization', AUTH).send({ participant: 'x' }),
        api.get('/admin/messages').set('Authorization', AUTH),
      ]);
      for (const answer of answers) {
        expect(answer.status).to.equal(404);
        expect(answer.body).to.have.nested.property('error.code', 'not_found');
      }
      await api.get(`/chat/${room}`).expect(200); // the room was not deleted
    });
  });

  describe('authentication', () => {
    it('answers 401 to a missing or wrong token, logging the refusal but never the token', async () => {
      const { logger, records } = capturedLogger();
      const dir = await makeTempDir();
      const config = { ...DEFAULT_CONFIG, port: 0, tcpPort: 0, storage: 'memory' as const };
      const parley = await startParley({ ...config, dataDir: dir.path, adminToken: TOKEN }, logger);
      try {
        const api = request(parley.url);
        const room = await createRoom(parley.url, 'Lobby');
        const wrong = `${TOKEN}x`;
        const refused = [
          await api.post('/admin/broadcast').send({ text: 'hi' }),
          await api.post('/admin/broadcast').set('Authorization', `Bearer ${wrong}`).send({}),
          await api.post('/admin/broadcast').set('Authorization', TOKEN).send({ text: 'hi' }),
          await api.delete(`/chat/${room}`).set('Authorization', 'Bearer nope'),
          await api.get('/admin/messages?q=x'),
          await api.post(`/admin/rooms/${room}/kick`).send({ participant: 'Ann' }),
        ];
        for (const answer of refused) {
          expect(answer.status).to.equal(401);
          expect(answer.body).to.have.nested.property('error.code', 'unauthorized');
          expect(answer.headers['www-authenticate']).to.match(/^Bearer/);
        }
        await api.get(`/chat/${room}`).expect(200);
        const warnings = records.filter((r) => r.level === LEVEL.warn && /admin/.test(r.msg));
        expect(warnings).to.have.length(refused.length);
        expect(warnings[0]).to.include({ path: '/admin/broadcast', problem: 'missing' });
        const everything = JSON.stringify(records);
        expect(everything).not.to.contain(TOKEN);
        await api
          .post('/admin/broadcast')
          .set('Authorization', AUTH)
          .send({ text: 'hi' })
          .expect(200);
        await api.delete(`/chat/${room}`).set('Authorization', AUTH).expect(200);
      } finally {
        await parley.shutdown();
        await dir.remove();
      }
    });
  });

  describe('with a token', () => {
    let server: TestServer;
    let tcpPort: number;
    beforeEach(async () => {
      tcpPort = await freeTcpPort();
      server = await startTestServer({ storage: 'memory', adminToken: TOKEN, tcpPort });
    });
    afterEach(() => server.stop());

    describe('POST /admin/broadcast', () => {
      it('reaches WebSocket, TCP and SSE clients, and counts them', async () => {
        const room = await createRoom(server.url, 'Lobby');
        const ws = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
        const tcp = await LineClient.telnet(tcpPort, 'Bob', 'Lobby');
        const sse = await SseTestClient.connect(server.url, room, 'Cy');
        const answer = await request(server.url)
          .post('/admin/broadcast')
          .set('Authorization', AUTH)
          .send({ text: 'Maintenance at 10:00' })
          .expect(200);
        expect(answer.body).to.include({ text: 'Maintenance at 10:00', recipients: 3 });
        const event = await ws.waitForType('announcement');
        expect(event).to.deep.include({
          text: 'Maintenance at 10:00',
          at: (answer.body as { at: string }).at,
        });
        await tcp.waitFor('*** Announcement: Maintenance at 10:00');
        expect(await sse.waitForType('announcement')).to.include({ text: 'Maintenance at 10:00' });
        await ws.close();
        tcp.close();
        await sse.close();
      });

      it('refuses a blank text with 400 invalid_admin_request', async () => {
        const answer = await request(server.url)
          .post('/admin/broadcast')
          .set('Authorization', AUTH)
          .send({ text: '  ' })
          .expect(400);
        expect(answer.body).to.have.nested.property('error.code', 'invalid_admin_request');
      });
    });

    describe('POST /admin/rooms/:id/kick', () => {
      it('disconnects a WebSocket participant with kicked and 4010; the room sees reason kicked', async () => {
        const room = await createRoom(server.url, 'Lobby');
        const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
        const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
        await request(server.url)
          .post(`/admin/rooms/${room}/kick`)
          .set('Authorization', AUTH)
          .send({ participant: 'Bob', reason: 'spamming' })
          .expect(200, { room, participant: 'Bob' });
        expect(await bob.waitForType('error')).to.include({ code: 'kicked', message: 'spamming' });
        expect(await bob.closed).to.deep.equal({ code: 4010, reason: 'kicked' });
        const left = await ann.waitForType('participant_left');
        expect(left).to.include({ participant: 'Bob', reason: 'kicked' });
        await ann.close();
      });

      it('disconnects a TCP participant, who is told why', async () => {
        const room = await createRoom(server.url, 'Lobby');
        const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
        const bob = await LineClient.telnet(tcpPort, 'Bob', 'Lobby');
        await request(server.url)
          .post(`/admin/rooms/${room}/kick`)
          .set('Authorization', AUTH)
          .send({ participant: 'Bob', reason: 'be nice' })
          .expect(200);
        await bob.waitFor('! error kicked: be nice');
        await bob.ended;
        const left = await ann.waitForType('participant_left');
        expect(left).to.include({ participant: 'Bob', reason: 'kicked' });
        await ann.close();
      });

      it('disconnects an SSE participant, whose stream ends after the kicked error', async () => {
        const room = await createRoom(server.url, 'Lobby');
        const cy = await SseTestClient.connect(server.url, room, 'Cy');
        await request(server.url)
          .post(`/admin/rooms/${room}/kick`)
          .set('Authorization', AUTH)
          .send({ participant: 'Cy' })
          .expect(200);
        expect(await cy.waitForType('error')).to.include({ code: 'kicked' });
        await cy.closed;
      });

      it('answers 404 participant_not_found for nobody of that name, and room_not_found', async () => {
        const room = await createRoom(server.url, 'Lobby');
        const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
        const nobody = await request(server.url)
          .post(`/admin/rooms/${room}/kick`)
          .set('Authorization', AUTH)
          .send({ participant: 'Zed' })
          .expect(404);
        expect(nobody.body).to.have.nested.property('error.code', 'participant_not_found');
        const noRoom = await request(server.url)
          .post('/admin/rooms/nope/kick')
          .set('Authorization', AUTH)
          .send({ participant: 'Ann' })
          .expect(404);
        expect(noRoom.body).to.have.nested.property('error.code', 'room_not_found');
        expect(ann.ofType('error')).to.deep.equal([]);
        await ann.close();
      });
    });

    describe('DELETE /chat/:id', () => {
      it('tells WebSocket, TCP and SSE participants room_closed and closes them (4410)', async () => {
        const room = await createRoom(server.url, 'Lobby');
        const other = await createRoom(server.url, 'Other');
        const ws = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
        const tcp = await LineClient.telnet(tcpPort, 'Bob', 'Lobby');
        const sse = await SseTestClient.connect(server.url, room, 'Cy');
        const elsewhere = await joinedClient(server.ws(joinPath(other, 'Dee')), 'Dee');
        const answer = await request(server.url)
          .delete(`/chat/${room}`)
          .set('Authorization', AUTH)
          .expect(200);
        expect(answer.body).to.deep.equal({ id: room, name: 'Lobby', disconnected: 3 });
        expect(await ws.waitForType('room_closed')).to.include({ room });
        expect(await ws.closed).to.deep.equal({ code: 4410, reason: 'room_closed' });
        await tcp.waitFor('*** The room #Lobby was closed.');
        await tcp.ended;
        expect(await sse.waitForType('room_closed')).to.include({ room });
        await sse.closed;
        expect(elsewhere.ofType('room_closed')).to.deep.equal([]);
        await elsewhere.close();
      });

      it('deletes the history; the id answers 404 and is never reused, the name is free', async () => {
        const room = await createRoom(server.url, 'Lobby');
        const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
        ann.send('hello');
        await ann.waitForType('message');
        await request(server.url).delete(`/chat/${room}`).set('Authorization', AUTH).expect(200);
        await ann.closed;
        const api = request(server.url);
        const gone = await api.get(`/chat/${room}`).expect(404);
        expect(gone.body).to.have.nested.property('error.code', 'room_not_found');
        await api.get(`/chat/${room}/messages`).expect(404);
        await api.delete(`/chat/${room}`).set('Authorization', AUTH).expect(404);
        const late = await TestClient.connect(server.ws(joinPath(room, 'Bob')));
        expect(await late.waitForType('error')).to.include({ code: 'room_not_found' });
        expect((await late.closed).code).to.equal(4404);
        const again = await createRoom(server.url, 'Lobby');
        expect(again).not.to.equal(room);
        const history = await api.get(`/chat/${again}/messages`).expect(200);
        expect((history.body as { messages: unknown[] }).messages).to.deep.equal([]);
        const search = await api.get('/admin/messages?q=hello').set('Authorization', AUTH);
        expect((search.body as { messages: unknown[] }).messages).to.deep.equal([]);
      });
    });
  });

  describe('DELETE /chat/:id with file storage', () => {
    it('deletes the history file and keeps the room deleted across a restart', async () => {
      const data = await makeTempDir();
      const options = { storage: 'file' as const, dataDir: data.path, adminToken: TOKEN };
      let server = await startTestServer(options);
      try {
        const room = await createRoom(server.url, 'Lobby');
        const kept = await createRoom(server.url, 'Kept');
        const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
        ann.send('secret plans');
        await ann.waitForType('message');
        expect(await readdir(`${data.path}/messages`)).to.include(`${room}.jsonl`);
        await request(server.url).delete(`/chat/${room}`).set('Authorization', AUTH).expect(200);
        await ann.closed;
        expect(await readdir(`${data.path}/messages`)).not.to.include(`${room}.jsonl`);
        await server.stop();
        server = await startTestServer(options);
        await request(server.url).get(`/chat/${room}`).expect(404);
        await request(server.url).get(`/chat/${kept}`).expect(200);
        const list = await request(server.url).get('/chat').expect(200);
        expect((list.body as { id: string }[]).map((r) => r.id)).to.deep.equal([kept]);
        const again = await createRoom(server.url, 'Lobby');
        expect(again).not.to.equal(room);
        const byName = await TestClient.connect(server.ws(`/chat/join?name=Bob&room=${room}`));
        expect(await byName.waitForType('error')).to.include({ code: 'room_not_found' });
      } finally {
        await server.stop();
        await data.remove();
      }
    });
  });
});
