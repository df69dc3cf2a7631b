import { expect } from 'chai';
import request from 'supertest';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { SseTestClient, StreamRefused } from '../support/sse-client.js';
import { joinedClient, TestClient } from '../support/ws-client.js';

/**
 * Replays Chatty's own examples (docs/examples/create_room.http and join_room.http in
 * cdgn-coding/golang-websocket-chatty) and checks the keys a Chatty client reads.
 */
describe('Chatty compatibility', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });

  after(() => server.stop());

  it('runs create_room.http then join_room.http as a Chatty client would', async () => {
    // create_room.http: POST http://localhost:8080/chat?name=RoomName
    const created = await request(server.url).post('/chat?name=RoomName').expect(201);
    const room = created.body as { id: string; name: string };
    expect(room.name).to.equal('RoomName');
    expect(room.id).to.match(/^[0-9A-Za-z]{27}$/);

    // join_room.http: WEBSOCKET …/chat/join?name=John&room=<id>, then two text messages
    const john = await TestClient.connect(server.ws(`/chat/join?name=John&room=${room.id}`));
    const joined = await john.waitForType('participant_joined');
    expect(joined).to.include({ event_type: 'participant_joined', participant: 'John' });

    john.send('Hello World!');
    john.send('My name is John Doe');
    const [hello, name] = await john.waitForCount('message', 2);
    expect(hello).to.include({ text: 'Hello World!', participant: 'John' });
    expect(name).to.include({ text: 'My name is John Doe', participant: 'John' });
    await john.close();
  });

  it('sends every server frame as a JSON text frame with an event_type', async () => {
    const { body: room } = (await request(server.url).post('/chat?name=Typed').expect(201)) as {
      body: { id: string };
    };
    const john = await TestClient.connect(server.ws(`/chat/join?name=John&room=${room.id}`));
    const frames: { isBinary: boolean; text: string }[] = [];
    john.socket.on('message', (data, isBinary) =>
      frames.push({ isBinary, text: (data as Buffer).toString() }),
    );
    await john.waitForType('participant_joined');
    john.send('hi');
    await john.waitForType('message');
    await john.close();
    expect(frames.length).to.be.greaterThan(0);
    for (const frame of frames) {
      expect(frame.isBinary).to.equal(false);
      expect(JSON.parse(frame.text)).to.have.property('event_type').that.is.a('string');
    }
  });
});

describe('Defaults a Chatty user gets', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer();
  });

  after(() => server.stop());

  it('replays the last 15 messages to a joiner by default', async () => {
    const { body: room } = (await request(server.url).post('/chat?name=Busy').expect(201)) as {
      body: { id: string };
    };
    const ann = await TestClient.connect(server.ws(`/chat/join?name=Ann&room=${room.id}`));
    for (let i = 1; i <= 20; i++) ann.send(`m${i}`);
    await ann.waitForCount('message', 20);
    const bob = await TestClient.connect(server.ws(`/chat/join?name=Bob&room=${room.id}`));
    await bob.waitForType('participant_joined');
    expect(bob.ofType('message').map((e) => e.text)).to.deep.equal(
      Array.from({ length: 15 }, (_, i) => `m${i + 6}`),
    );
    await Promise.all([ann.close(), bob.close()]);
  });

  it('replays nothing to a joiner that asks history=0, over WebSocket and SSE', async () => {
    const { body: room } = (await request(server.url).post('/chat?name=Quiet').expect(201)) as {
      body: { id: string };
    };
    const ann = await joinedClient(server.ws(`/chat/join?name=Ann&room=${room.id}`), 'Ann');
    ann.send('before');
    await ann.waitForType('message');
    const bob = await TestClient.connect(
      server.ws(`/chat/join?name=Bob&room=${room.id}&history=0`),
    );
    await bob.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Bob');
    const cat = await SseTestClient.connect(server.url, room.id, 'Cat', '&history=false');
    await cat.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Cat');
    ann.send('after');
    await bob.waitFor((e) => e.event_type === 'message' && e.text === 'after');
    await cat.waitFor((e) => e.event_type === 'message' && e.text === 'after');
    // history=1 still replays, as no parameter does
    const dan = await joinedClient(
      server.ws(`/chat/join?name=Dan&room=${room.id}&history=1`),
      'Dan',
    );
    expect(bob.ofType('message').map((e) => e.text)).to.deep.equal(['after']);
    expect(cat.ofType('message').map((e) => e.text)).to.deep.equal(['after']);
    expect(dan.ofType('message').map((e) => e.text)).to.deep.equal(['before', 'after']);
    await Promise.all([ann.close(), bob.close(), cat.close(), dan.close()]);
  });

  it('refuses a history value that means neither, on both transports', async () => {
    const { body: room } = (await request(server.url).post('/chat?name=Odd').expect(201)) as {
      body: { id: string };
    };
    const ann = await TestClient.connect(
      server.ws(`/chat/join?name=Ann&room=${room.id}&history=some`),
    );
    const error = await ann.waitForType('error');
    expect(error.code).to.equal('invalid_request');
    expect((await ann.closed).code).to.equal(4400);
    const refused = await SseTestClient.connect(server.url, room.id, 'Bob', '&history=2').then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(refused).to.be.instanceOf(StreamRefused);
    expect(refused).to.include({ status: 400, code: 'invalid_request' });
  });

  it('does not negotiate permessage-deflate, even when the client offers it', async () => {
    const { body: room } = (await request(server.url).post('/chat?name=Plain').expect(201)) as {
      body: { id: string };
    };
    const client = await TestClient.connect(server.ws(`/chat/join?name=Ann&room=${room.id}`));
    expect(client.socket.extensions).to.equal('');
    await client.close();
  });
});
