import { expect } from 'chai';
import request from 'supertest';
import { runCli, shareAcrossTests } from '../support/child-server.js';
import { ADMIN_TOKEN, startNode, stopNode, type ClusterNode } from '../support/cluster.js';
import { LineClient } from '../support/line-client.js';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.js';
import { createRoom } from '../support/rooms.js';
import { SseTestClient } from '../support/sse-client.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient, TestClient, type ServerEvent } from '../support/ws-client.js';

const isMessage = (text: string) => (e: ServerEvent) =>
  e.event_type === 'message' && e.text === text;

/** The seqs of the messages a client was sent live, in order. */
const seqsOf = (events: readonly ServerEvent[]): number[] =>
  events.filter((e) => e.event_type === 'message').map((e) => e.seq as number);

const AUTH = `Bearer ${ADMIN_TOKEN}`;

describe('Several nodes on one Redis behave as one server (real processes)', function () {
  this.timeout(30_000);
  let redis: RedisServer | undefined;
  let nodes: ClusterNode[] = [];
  let a: ClusterNode;
  let b: ClusterNode;
  let c: ClusterNode;
  const clients: { close(): unknown }[] = [];

  before(async function () {
    skipWithoutRedis(this);
    redis = await RedisServer.start();
    nodes = await Promise.all(['a', 'b', 'c'].map((id) => startNode(redis!.url(), `node-${id}`)));
    for (const node of nodes) shareAcrossTests(node.server);
    [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
  });

  after(async () => {
    for (const node of nodes) await stopNode(node);
    await redis?.destroy();
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });

  function keep<T extends { close(): unknown }>(client: T): T {
    clients.push(client);
    return client;
  }

  it('lets clients on different nodes and transports see each other: messages, joins, renames, leaves', async () => {
    const room = await createRoom(a.url, 'Everywhere');
    const ann = keep(await joinedClient(a.ws(joinPath(room, 'Ann')), 'Ann'));
    const bob = keep(await LineClient.telnet(b.tcpPort, 'Bob', room));
    const cy = keep(await SseTestClient.connect(c.url, room, 'Cy'));
    await ann.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Cy');
    await bob.waitFor('* Cy joined #Everywhere');

    ann.send('hello from a');
    await bob.waitFor(/<Ann> hello from a$/);
    await cy.waitFor(isMessage('hello from a'));
    bob.send('hello from b');
    await ann.waitFor(isMessage('hello from b'));
    await cy.waitFor(isMessage('hello from b'));
    await cy.post('hello from c');
    await ann.waitFor(isMessage('hello from c'));
    await bob.waitFor(/<Cy> hello from c$/);

    await cy.post('/nick Cyd');
    await ann.waitFor((e) => e.event_type === 'participant_renamed' && e.to === 'Cyd');
    await bob.waitFor('* Cy is now known as Cyd');
    bob.send('/quit');
    await ann.waitFor((e) => e.event_type === 'participant_left' && e.participant === 'Bob');
    await cy.waitFor((e) => e.event_type === 'participant_left' && e.participant === 'Bob');
    for (const client of [ann, cy]) expect(seqsOf(client.events)).to.deep.equal([1, 2, 3]);
  });

  it('takes an SSE stream’s posts on any node, in order (no sticky sessions needed)', async () => {
    const room = await createRoom(a.url, 'Posts');
    const cy = keep(await SseTestClient.connect(a.url, room, 'Cy'));
    const ann = keep(await joinedClient(c.ws(joinPath(room, 'Ann')), 'Ann'));
    const texts = Array.from({ length: 12 }, (_, i) => `post ${i}`);
    const statuses: number[] = [];
    for (const [i, text] of texts.entries()) {
      const node = [a, b, c][i % 3]!;
      const response = await fetch(`${node.url}/chat/${room}/messages`, {
        method: 'POST',
        headers: { 'Parley-Session': cy.sessionKey, 'Content-Type': 'text/plain' },
        body: text,
      });
      statuses.push(response.status);
    }
    expect(statuses).to.deep.equal(texts.map(() => 202));
    await ann.waitFor(isMessage('post 11'));
    const seen = ann.events.filter((e) => e.event_type === 'message').map((e) => e.text);
    expect(seen).to.deep.equal(texts);
    // A command posted through another node answers on the stream, like any other input.
    const listed = await fetch(`${b.url}/chat/${room}/messages`, {
      method: 'POST',
      headers: { 'Parley-Session': cy.sessionKey },
      body: '/list',
    });
    expect(listed.status).to.equal(202);
    await cy.waitFor((e) => e.event_type === 'participants');
    // A key naming no live node, or no stream of that node, is an unknown session everywhere.
    for (const key of ['nosuchnode.abc', `${cy.sessionKey.split('.')[0]}.forged`]) {
      const refused = await fetch(`${b.url}/chat/${room}/messages`, {
        method: 'POST',
        headers: { 'Parley-Session': key },
        body: 'x',
      });
      expect(refused.status).to.equal(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).to.equal(
        'invalid_session',
      );
    }
  });

  it('lists the participants of every node in GET /chat/:id', async () => {
    const room = await createRoom(b.url, 'Listed');
    keep(await joinedClient(a.ws(joinPath(room, 'Ann')), 'Ann'));
    keep(await LineClient.telnet(b.tcpPort, 'Bob', room));
    keep(await SseTestClient.connect(c.url, room, 'Cy'));
    for (const node of nodes) {
      const body = (await request(node.url).get(`/chat/${room}`).expect(200)).body as {
        participants: { name: string }[];
      };
      expect(body.participants.map((p) => p.name)).to.deep.equal(['Ann', 'Bob', 'Cy']);
    }
  });

  it('delivers private messages to a participant on another node, on any transport', async () => {
    const [one, two] = [await createRoom(a.url, 'One'), await createRoom(a.url, 'Two')];
    const ann = keep(await joinedClient(a.ws(joinPath(one, 'Ann')), 'Ann'));
    const bob = keep(await LineClient.telnet(b.tcpPort, 'Bob', two));
    const cy = keep(await SseTestClient.connect(c.url, one, 'Cy'));
    ann.send('/msg @bob psst');
    await bob.waitFor('[private] <Ann> psst');
    const echo = await ann.waitForType('private_message');
    expect(echo).to.include({ from: 'Ann', to: 'Bob', text: 'psst' });
    bob.send('/msg @Cy over here');
    const toCy = await cy.waitForType('private_message');
    expect(toCy).to.include({ from: 'Bob', to: 'Cy', text: 'over here' });
    expect(ann.ofType('private_message')).to.have.length(1);
  });

  it('gives every client on every node the same contiguous order while three nodes publish at once', async () => {
    const room = await createRoom(a.url, 'Busy');
    const senders = await Promise.all(
      nodes.map((node, i) => joinedClient(node.ws(joinPath(room, `s${i}`)), `s${i}`)),
    );
    for (const sender of senders) keep(sender);
    const watchers = [
      keep(await joinedClient(a.ws(joinPath(room, 'wa')), 'wa')),
      keep(await joinedClient(b.ws(joinPath(room, 'wb')), 'wb')),
      keep(await SseTestClient.connect(c.url, room, 'wc')),
    ];
    const perSender = 100;
    for (let n = 0; n < perSender; n++) {
      for (const [i, sender] of senders.entries()) sender.send(`m ${i} ${n}`);
    }
    const total = perSender * senders.length;
    const all = Array.from({ length: total }, (_, i) => i + 1);
    const texts = (w: { events: ServerEvent[] }) =>
      w.events.filter((e) => e.event_type === 'message').map((e) => e.text);
    for (const watcher of [...watchers, ...senders]) {
      await watcher.waitForCount('message', total, 15_000);
      expect(seqsOf(watcher.events)).to.deep.equal(all);
      expect(texts(watcher)).to.deep.equal(texts(watchers[0]!));
    }
  });

  it('lets exactly one of two simultaneous joins with the same nickname on two nodes win', async () => {
    const room = await createRoom(a.url, 'Contested');
    const outcome = (client: TestClient, name: string) =>
      client.waitFor(
        (e) =>
          (e.event_type === 'participant_joined' && e.participant === name) ||
          (e.event_type === 'error' && e.code === 'nickname_taken'),
      );
    for (let round = 0; round < 8; round++) {
      const [lower, upper] = [`dup${round}`, `DUP${round}`];
      const [one, two] = await Promise.all([
        TestClient.connect(a.ws(joinPath(room, lower))),
        TestClient.connect(b.ws(joinPath(room, upper))),
      ]);
      keep(one);
      keep(two);
      const results = await Promise.all([outcome(one, lower), outcome(two, upper)]);
      const joined = results.filter((e) => e.event_type === 'participant_joined');
      expect(joined, `round ${round}`).to.have.length(1);
    }
    const listed = (await request(c.url).get(`/chat/${room}`).expect(200)).body as {
      participants: unknown[];
    };
    expect(listed.participants).to.have.length(8);
  });

  it('sends an admin broadcast, a kick and a room deletion to the clients of every node; searches every node’s messages', async () => {
    const room = await createRoom(a.url, 'Admin');
    const ann = keep(await joinedClient(a.ws(joinPath(room, 'Ann')), 'Ann'));
    const bob = keep(await LineClient.telnet(b.tcpPort, 'Bob', room));
    const cy = keep(await SseTestClient.connect(c.url, room, 'Cy'));
    await request(a.url)
      .post('/admin/broadcast')
      .set('Authorization', AUTH)
      .send({ text: 'maintenance' })
      .expect(200);
    await ann.waitFor((e) => e.event_type === 'announcement' && e.text === 'maintenance');
    await cy.waitFor((e) => e.event_type === 'announcement' && e.text === 'maintenance');
    await bob.waitFor(/maintenance/);
    await request(a.url)
      .post(`/admin/rooms/${room}/kick`)
      .set('Authorization', AUTH)
      .send({ participant: 'Cy', reason: 'enough' })
      .expect(200);
    await ann.waitFor((e) => e.event_type === 'participant_left' && e.reason === 'kicked');
    await bob.waitFor('* Cy left (kicked)');
    await request(a.url)
      .post(`/admin/rooms/${room}/kick`)
      .set('Authorization', AUTH)
      .send({ participant: 'Nobody' })
      .expect(404);
    ann.send('findable on any node');
    await bob.waitFor(/findable on any node$/);
    const found = await request(c.url)
      .get(`/admin/messages?q=findable&room=${room}`)
      .set('Authorization', AUTH)
      .expect(200);
    const hits = (found.body as { messages: { text: string }[] }).messages;
    expect(hits.map((m) => m.text)).to.deep.equal(['findable on any node']);
    await request(c.url).delete(`/chat/${room}`).set('Authorization', AUTH).expect(200);
    await ann.waitForType('room_closed');
    await ann.closed;
    await bob.ended;
    await request(b.url).get(`/chat/${room}`).expect(404);
  });

  it('refuses to start without its Redis, saying which and what to do', async () => {
    const free = await RedisServer.start();
    const url = free.url();
    await free.destroy(); // nothing listens there any more
    const { code, stderr } = await runCli(['--storage', 'redis', '--redis-url', url, '-p', '0']);
    expect(code).to.equal(1);
    expect(stderr).to.contain(`could not connect to Redis at ${url}`);
  });

  it('keeps /stats and /metrics per node, labelled with the node id', async () => {
    for (const node of nodes) {
      const stats = (await request(node.url).get('/stats').expect(200)).body as { node: string };
      expect(stats.node).to.equal(node.id);
      const metrics = await request(node.url).get('/metrics').set('Authorization', AUTH);
      expect(metrics.status).to.equal(200);
      expect(metrics.text).to.match(new RegExp(`parley_connections\\{[^}]*node="${node.id}"`));
    }
  });
});
