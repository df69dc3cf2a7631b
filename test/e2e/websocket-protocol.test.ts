import { expect } from 'chai';
import request from 'supertest';
import { WebSocket } from 'ws';
import { Tokens } from '../../cmd/server/compose.js';
import { resolve } from '../../cmd/server/tokens.js';
import { RawPeer } from '../support/raw-peer.js';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, TestClient } from '../support/ws-client.js';

describe('WebSocket protocol', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ historyOnJoin: 3, maxMessageBytes: 1024 });
  });

  after(() => server.stop());

  describe('joining', () => {
    it('announces participant_joined to everyone in the room, the joiner included', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      const seenByAnn = await ann.waitFor(
        (e) => e.event_type === 'participant_joined' && e.participant === 'Bob',
      );
      expect(seenByAnn).to.include({ room });
      expect(Date.parse(seenByAnn.at as string)).to.not.be.NaN;
      expect(bob.ofType('participant_joined').map((e) => e.participant)).to.deep.equal(['Bob']);
      await Promise.all([ann.close(), bob.close()]);
    });

    it('replays the last N messages to the joiner only, oldest first, marked history, before live traffic', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      for (const text of ['one', 'two', 'three', 'four']) ann.send(text);
      await ann.waitForCount('message', 4);
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      ann.send('five');
      await bob.waitFor((e) => e.event_type === 'message' && e.text === 'five');
      expect(
        bob.events.map(
          (e) =>
            `${e.event_type}:${String(e.text ?? e.participant)}:${e.history === true ? 'history' : 'live'}`,
        ),
      ).to.deep.equal([
        'message:two:history',
        'message:three:history',
        'message:four:history',
        'participant_joined:Bob:live',
        'message:five:live',
      ]);
      expect(ann.events.some((e) => e.history === true)).to.equal(false);
      await Promise.all([ann.close(), bob.close()]);
    });
  });

  describe('messages', () => {
    it('delivers each message to everyone, the sender included, with id, seq, room and sent_at', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      ann.send('Hello World!');
      const [toAnn, toBob] = await Promise.all([
        ann.waitForType('message'),
        bob.waitForType('message'),
      ]);
      expect(toAnn).to.deep.equal(toBob);
      expect(toAnn).to.include({
        event_type: 'message',
        seq: 1,
        text: 'Hello World!',
        participant: 'Ann',
        room,
      });
      expect(toAnn.id).to.match(/^[0-9A-Za-z]{27}$/);
      expect(new Date(toAnn.sent_at as string).toISOString()).to.equal(toAnn.sent_at);
      expect(toAnn).to.not.have.property('history');
      await Promise.all([ann.close(), bob.close()]);
    });

    it('gives every participant the same messages in the same order, seq 1…n without gaps', async () => {
      const room = await createRoom(server.url);
      const clients = await Promise.all(
        ['A', 'B', 'C'].map((n) => joinedClient(server.ws(joinPath(room, n)), n)),
      );
      clients.forEach((client, i) => {
        for (let n = 0; n < 20; n++) client.send(`${i}-${n}`);
      });
      const received = await Promise.all(
        clients.map((client) => client.waitForCount('message', 60)),
      );
      const orders = received.map((events) =>
        events.map((e) => `${String(e.seq)}:${String(e.text)}`),
      );
      expect(orders[1]).to.deep.equal(orders[0]);
      expect(orders[2]).to.deep.equal(orders[0]);
      expect(received[0]?.map((e) => e.seq)).to.deep.equal(
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
      for (const [i] of clients.entries()) {
        const own = received[0]
          ?.filter((e) => String(e.text).startsWith(`${i}-`))
          .map((e) => e.text);
        expect(own).to.deep.equal(Array.from({ length: 20 }, (_, n) => `${i}-${n}`));
      }
      await Promise.all(clients.map((c) => c.close()));
    });

    it('answers a blank message with an error event and keeps the connection open', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      ann.send('   ');
      expect(await ann.waitForType('error')).to.include({ code: 'empty_message' });
      ann.send('still here');
      expect(await ann.waitForType('message')).to.include({ text: 'still here', seq: 1 });
      await ann.close();
    });

    it('handles messages sent before the join has completed, in order', async () => {
      const room = await createRoom(server.url);
      const ann = new WebSocket(server.ws(joinPath(room, 'Ann')));
      const texts: string[] = [];
      ann.on('message', (data) => {
        const event = JSON.parse((data as Buffer).toString()) as {
          event_type: string;
          text?: string;
        };
        if (event.event_type === 'message' && event.text !== undefined) texts.push(event.text);
      });
      await new Promise((resolve) => ann.once('open', resolve));
      ['first', 'second', 'third'].forEach((t) => ann.send(t));
      const deadline = Date.now() + 3000;
      while (texts.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(texts).to.deep.equal(['first', 'second', 'third']);
      ann.close();
    });
  });

  describe('leaving', () => {
    it('sends participant_left when a client closes normally', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      await bob.close();
      expect(await ann.waitForType('participant_left')).to.include({
        participant: 'Bob',
        reason: 'quit',
        room,
      });
      await ann.close();
    });

    it('sends participant_left when a connection drops without a close handshake', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const peer = await RawPeer.connect(server.parley.port, joinPath(room, 'Bob'));
      await ann.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Bob');
      peer.destroy();
      expect(await ann.waitForType('participant_left')).to.include({
        participant: 'Bob',
        reason: 'disconnected',
      });
      const details = (await request(server.url).get(`/chat/${room}`).expect(200)).body as {
        participants: unknown[];
      };
      expect(details.participants).to.have.length(1);
      await ann.close();
    });
  });

  describe('bad joins never hang: an error event, then a documented close code', () => {
    const cases: [string, (room: string) => string, string, number][] = [
      ['no room parameter', () => '/chat/join?name=Ann', 'invalid_request', 4400],
      ['no name parameter', (room) => `/chat/join?room=${room}`, 'invalid_request', 4400],
      [
        'an unknown room',
        () => joinPath('2SzErhA2PvYGjf4PQ4pvTh9BfE0', 'Ann'),
        'room_not_found',
        4404,
      ],
      ['an invalid nickname', (room) => joinPath(room, '@Ann'), 'invalid_nickname', 4400],
      ['a blank nickname', (room) => joinPath(room, '  '), 'invalid_nickname', 4400],
    ];
    for (const [label, path, code, closeCode] of cases) {
      it(`refuses ${label} with ${code} and close ${closeCode}`, async () => {
        const room = await createRoom(server.url);
        const client = await TestClient.connect(server.ws(path(room)));
        const closed = await client.closed;
        expect(client.events).to.have.length(1);
        expect(client.events[0]).to.include({ event_type: 'error', code });
        expect(closed).to.deep.equal({ code: closeCode, reason: code });
      });
    }

    it('refuses a nickname already in the room (any case) with nickname_taken and close 4409', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const impostor = await TestClient.connect(server.ws(joinPath(room, 'aNN')));
      expect(await impostor.closed).to.deep.equal({ code: 4409, reason: 'nickname_taken' });
      expect(impostor.events[0]).to.include({ event_type: 'error', code: 'nickname_taken' });
      ann.send('still fine');
      expect(await ann.waitForType('message')).to.include({ text: 'still fine' });
      await ann.close();
    });

    it('answers an upgrade on a path no WebSocket form takes with HTTP 404 before upgrading', async () => {
      const error = await new Promise<Error>((resolve) => {
        const socket = new WebSocket(server.ws('/docs/nowhere'));
        socket.on('error', resolve);
      });
      expect(error.message).to.contain('404');
    });
  });

  describe('frames Parley does not accept', () => {
    it('closes with 1003 after an error event when a client sends a binary frame, and the room sees it leave', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      bob.socket.send(Buffer.from([1, 2, 3]), { binary: true });
      expect(await bob.closed).to.deep.equal({ code: 1003, reason: 'binary_not_supported' });
      expect(bob.ofType('error')[0]).to.include({ code: 'binary_not_supported' });
      expect(await ann.waitForType('participant_left')).to.include({
        participant: 'Bob',
        reason: 'protocol_error',
      });
      await ann.close();
    });

    it('closes with 1009 when a frame exceeds --max-message-bytes, storing and sending nothing', async () => {
      const room = await createRoom(server.url);
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      bob.send('x'.repeat(1025));
      expect((await bob.closed).code).to.equal(1009);
      await ann.waitForType('participant_left');
      expect(ann.ofType('message')).to.have.length(0);
      const late = await joinedClient(server.ws(joinPath(room, 'Cy')), 'Cy');
      expect(late.ofType('message')).to.have.length(0); // nothing in history either
      await Promise.all([ann.close(), late.close()]);
    });
  });

  describe('encoding', () => {
    it('encodes each broadcast once, however many receive it', async () => {
      const room = await createRoom(server.url);
      const clients: TestClient[] = [];
      for (const name of ['A', 'B', 'C', 'D', 'E'])
        clients.push(await joinedClient(server.ws(joinPath(room, name)), name));
      const gateway = resolve(server.parley.container, Tokens.WsTransport);
      const before = gateway.encodeCount;
      clients[0]?.send('once');
      await Promise.all(clients.map((c) => c.waitForType('message')));
      expect(gateway.encodeCount - before).to.equal(1);
      await Promise.all(clients.map((c) => c.close()));
    });
  });
});

describe('Big rooms: batched presence', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({
      storage: 'memory',
      presenceBatchAbove: 3,
      presenceBatchIntervalMs: 150,
    });
  });

  after(() => server.stop());

  it('announces joins and leaves above the threshold as one participants_changed per interval', async () => {
    const room = (
      (await request(server.url).post('/chat?name=Stadium').expect(201)).body as { id: string }
    ).id;
    const clients: TestClient[] = [];
    for (const name of ['A', 'B', 'C', 'D', 'E'])
      clients.push(await joinedClient(server.ws(joinPath(room, name)), name));
    await clients[1]?.close();
    const first = clients[0] as TestClient;
    const changed = await first.waitForType('participants_changed');
    expect(changed).to.deep.include({ room, joined: ['D', 'E'], left: ['B'] });
    expect(first.ofType('participant_joined').map((e) => e.participant)).to.deep.equal([
      'A',
      'B',
      'C',
    ]);
    expect(clients[4]?.ofType('participant_joined').map((e) => e.participant)).to.deep.equal(['E']);
    await Promise.all(clients.map((c) => c.close()));
  });
});
