import { expect } from 'chai';
import request from 'supertest';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, TestClient } from '../support/ws-client.js';

/** Issue 10, point 10: names that hide characters, look blank or imitate someone are refused. */
describe('Name rules over the wire', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ storage: 'memory' });
  });

  after(() => server.stop());

  describe('nicknames', () => {
    for (const [label, nickname, found] of [
      ['a zero-width space', 'Ann\u200B', 'U+200B'],
      ['a right-to-left override', 'Ann\u202E', 'U+202E'],
      ['only a Hangul filler', '\u3164', 'U+3164'],
    ] as const) {
      it(`refuses one holding ${label} with invalid_nickname and close 4400, saying why`, async () => {
        const room = await createRoom(server.url);
        const client = await TestClient.connect(server.ws(joinPath(room, nickname)));
        const first = await client.waitFor(() => true);
        expect(first).to.include({
          event_type: 'error',
          code: 'invalid_nickname',
        });
        expect(first.message).to.be.a('string').and.contain(found);
        expect(await client.closed).to.deep.equal({
          code: 4400,
          reason: 'invalid_nickname',
        });
        expect(client.events).to.have.length(1);
      });
    }

    it('refuses Аnn (Cyrillic А) where Ann is with nickname_taken and close 4409; Ann stays', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const impostor = await TestClient.connect(server.ws(joinPath(room, '\u0410nn')));
      const first = await impostor.waitFor(() => true);
      expect(first).to.include({ event_type: 'error', code: 'nickname_taken' });
      expect(await impostor.closed).to.deep.equal({
        code: 4409,
        reason: 'nickname_taken',
      });
      ann.send('still me');
      expect(await ann.waitForType('message')).to.include({
        text: 'still me',
        participant: 'Ann',
      });
      expect(ann.ofType('participant_joined').map((e) => e.participant)).to.deep.equal(['Ann']);
      await ann.close();
    });

    it('lets emoji nicknames join: a ZWJ family, a heart with VS16, a rainbow flag, a skin tone', async () => {
      const room = await createRoom(server.url);
      const names = ['👨‍👩‍👧', '❤️', '🏳️‍🌈', '👩🏽‍💻'];
      const clients: TestClient[] = [];
      for (const name of names)
        clients.push(await joinedClient(server.ws(joinPath(room, name)), name));
      clients[0]?.send('hi all');
      const heard = await clients[3]?.waitFor((e) => e.text === 'hi all');
      expect(heard).to.include({ participant: '👨‍👩‍👧' });
      await Promise.all(clients.map((client) => client.close()));
    });
  });

  describe('room names (POST /chat)', () => {
    for (const [label, name] of [
      ['a bidi override', 'Lobby\u202Eevil'],
      ['a zero-width space', 'Lob\u200Bby'],
      ['only Hangul fillers (blank-looking)', '\u3164\u3164'],
      ['only blank braille patterns (blank-looking)', '\u2800\u2800\u2800'],
    ] as const) {
      it(`answers 400 invalid_room_name for a name holding ${label}`, async () => {
        const response = await request(server.url)
          .post(`/chat?name=${encodeURIComponent(name)}`)
          .expect(400);
        expect(response.body).to.have.nested.property('error.code', 'invalid_room_name');
        expect(response.body)
          .to.have.nested.property('error.message')
          .that.matches(/^a room name must not/);
      });
    }

    it('still creates rooms named with emoji', async () => {
      const response = await request(server.url)
        .post('/chat')
        .send({ name: '🎉 Party 👨‍👩‍👧' })
        .expect(201);
      expect(response.body).to.include({ name: '🎉 Party 👨‍👩‍👧' });
    });
  });
});
