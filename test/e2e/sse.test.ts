import { expect } from 'chai';
import { EventSource } from 'eventsource';
import request from 'supertest';
import { Tokens } from '../../cmd/server/compose.js';
import { resolve } from '../../cmd/server/tokens.js';
import { eventually } from '../support/eventually.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { createRoom } from '../support/rooms.js';
import type { StreamRefused } from '../support/sse-client.js';
import { SseTestClient } from '../support/sse-client.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

/** What is specific to the Server-Sent Events transport (the rest is in test/conformance). */
describe('Server-Sent Events', function () {
  this.timeout(10_000);
  let server: TestServer;
  let room: string;

  afterEach(() => server.stop());

  async function start(overrides = {}): Promise<void> {
    server = await startTestServer({ storage: 'memory', ...overrides });
    room = await createRoom(server.url, 'Streams');
  }

  it('works with a browser EventSource, in one room with a WebSocket and a telnet user', async () => {
    const tcpPort = await freeTcpPort();
    await start({ tcpPort });
    const source = new EventSource(`${server.url}/chat/${room}/events?name=Ann`);
    const seen: { id: string; event: Record<string, unknown> }[] = [];
    source.onmessage = (message) =>
      seen.push({
        id: message.lastEventId,
        event: JSON.parse(String(message.data)) as Record<string, unknown>,
      });
    const waitFor = async (match: (event: Record<string, unknown>) => boolean): Promise<void> => {
      for (let i = 0; i < 300 && !seen.some((s) => match(s.event)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(
        seen.some((s) => match(s.event)),
        JSON.stringify(seen),
      ).to.equal(true);
    };
    try {
      await waitFor((e) => e.event_type === 'session');
      const key = String(seen[0]?.event.session);
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      const cy = await LineClient.telnet(tcpPort, 'Cy', room);
      const post = await fetch(`${server.url}/chat/${room}/messages`, {
        method: 'POST',
        headers: { 'Parley-Session': key },
        body: 'hello from a browser',
      });
      expect(post.status).to.equal(202);
      await bob.waitFor((e) => e.text === 'hello from a browser' && e.participant === 'Ann');
      await cy.waitFor(/<Ann> hello from a browser$/);
      bob.send('hi Ann, from WebSocket');
      cy.send('hi Ann, from telnet');
      await waitFor((e) => e.text === 'hi Ann, from telnet');
      await waitFor((e) => e.text === 'hi Ann, from WebSocket');
      const messages = seen.filter((s) => s.event.event_type === 'message');
      expect(messages.map((s) => s.id)).to.deep.equal(messages.map((s) => String(s.event.seq)));
      await bob.close();
      await cy.finish();
    } finally {
      source.close();
    }
  });

  it('sends the session key first; answers posts 202, and what they lead to arrives on the stream', async () => {
    await start();
    const ann = await SseTestClient.connect(server.url, room, 'Ann');
    expect(ann.events[0]).to.deep.equal({ event_type: 'session', session: ann.sessionKey });
    expect(ann.sessionKey).to.match(/^[A-Za-z0-9_-]{24}$/);
    expect(await ann.post('/list')).to.equal(202);
    expect(await ann.post('   ')).to.equal(202);
    await ann.waitForType('participants');
    expect((await ann.waitForType('error')).code).to.equal('empty_message');
    await ann.close();
  });

  it('answers 401 invalid_session to a wrong key, a key of another room, or a stream that has ended', async () => {
    await start();
    const other = await createRoom(server.url, 'Other');
    const ann = await SseTestClient.connect(server.url, room, 'Ann');
    const post = (roomId: string, key: string) =>
      request(server.url).post(`/chat/${roomId}/messages`).set('Parley-Session', key).send('hi');
    for (const [roomId, key] of [
      [room, 'not-a-key'],
      [other, ann.sessionKey],
    ] as const) {
      const refused = await post(roomId, key).expect(401);
      expect((refused.body as { error: { code: string } }).error.code).to.equal('invalid_session');
    }
    await request(server.url).post(`/chat/${room}/messages`).send('no key').expect(401);
    await ann.close();
    await post(room, ann.sessionKey).expect(401);
  });

  const refusal = (roomId: string, name: string) =>
    SseTestClient.connect(server.url, roomId, name).then(
      () => expect.fail('the stream opened'),
      (error: StreamRefused) => [error.status, error.code],
    );

  it('refuses a join that cannot happen with the HTTP status and JSON error, before any stream', async () => {
    await start();
    expect(await refusal('no-such-room', 'Ann')).to.deep.equal([404, 'room_not_found']);
    expect(await refusal(room, '@bad')).to.deep.equal([400, 'invalid_nickname']);
    const ann = await SseTestClient.connect(server.url, room, 'Ann');
    expect(await refusal(room, 'ANN')).to.deep.equal([409, 'nickname_taken']);
    const noName = await request(server.url).get(`/chat/${room}/events`).expect(400);
    expect((noName.body as { error: { code: string } }).error.code).to.equal('invalid_request');
    await ann.close();
  });

  it('counts a stream against --connections like any client, and refuses past it with 503', async () => {
    server = await startTestServer({ storage: 'memory', maxConnections: 1 });
    const created = await request(server.url)
      .post('/chat?name=Full')
      .set('Connection', 'close') // an idle keep-alive connection would hold the one place
      .expect(201);
    room = (created.body as { id: string }).id;
    const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
    expect(await refusal(room, 'Ann')).to.deep.equal([503, 'server_full']);
    await bob.close();
    await eventually(
      'Bob to be gone',
      () => resolve(server.parley.container, Tokens.WsTransport).sessions.size === 0,
    );
    const ann = await SseTestClient.connect(server.url, room, 'Ann');
    const refused = await fetch(`${server.url}/ping`);
    expect(refused.status, 'the stream holds the one place').to.equal(503);
    await ann.close();
  });

  it('answers with text/event-stream, not cached, and keeps a quiet stream alive with comments', async () => {
    await start({ pingIntervalMs: 150, pongTimeoutMs: 100 });
    const ann = await SseTestClient.connect(server.url, room, 'Ann');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(ann.comments).to.be.at.least(2);
    const head = await fetch(`${server.url}/chat/${room}/events?name=Bob`);
    expect(head.headers.get('content-type')).to.equal('text/event-stream; charset=utf-8');
    expect(head.headers.get('cache-control')).to.equal('no-cache, no-transform');
    await head.body?.cancel();
    expect(ann.events.some((e) => e.event_type === 'error')).to.equal(false);
    await ann.close();
  });
});
