import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { WebSocket } from 'ws';
import { shareAcrossTests } from '../support/child-server.js';
import { startNode, stopNode, type ClusterNode } from '../support/cluster.js';
import { eventually } from '../support/eventually.js';
import { LineClient } from '../support/line-client.js';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.js';
import { createRoom } from '../support/rooms.js';
import { SseTestClient } from '../support/sse-client.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient, type ServerEvent } from '../support/ws-client.js';

const texts = (events: readonly ServerEvent[]): string[] =>
  events.filter((e) => e.event_type === 'message').map((e) => e.text as string);
const seqs = (events: readonly ServerEvent[]): number[] =>
  events.filter((e) => e.event_type === 'message').map((e) => e.seq as number);

async function readiness(node: ClusterNode): Promise<number> {
  return (await request(node.url).get('/readyz')).status;
}

describe('Redis going away and coming back, under two nodes (real processes)', function () {
  this.timeout(30_000);
  let redis: RedisServer | undefined;
  let nodes: ClusterNode[] = [];
  const clients: { close(): unknown }[] = [];

  before(async function () {
    skipWithoutRedis(this);
    redis = await RedisServer.start({ appendonly: true });
    nodes = await Promise.all(['a', 'b'].map((id) => startNode(redis!.url(), `node-${id}`)));
    for (const node of nodes) shareAcrossTests(node.server);
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

  it('keeps clients connected, says not ready and refuses messages (storage_unavailable) while it is away; then carries on, losing nothing delivered', async () => {
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const room = await createRoom(a.url, 'Outage');
    const ann = keep(await joinedClient(a.ws(joinPath(room, 'Ann')), 'Ann'));
    const bob = keep(await LineClient.telnet(b.tcpPort, 'Bob', room));
    const cy = keep(await SseTestClient.connect(b.url, room, 'Cy'));
    for (let n = 1; n <= 5; n++) ann.send(`before ${n}`);
    await cy.waitFor((e) => e.event_type === 'message' && e.text === 'before 5');

    await redis!.stop();
    for (const node of nodes)
      await eventually('not ready', async () => (await readiness(node)) === 503);
    ann.send('during a');
    const refused = await ann.waitFor((e) => e.event_type === 'error');
    expect(refused).to.include({ code: 'storage_unavailable' });
    bob.send('during b');
    await bob.waitFor(/^! error storage_unavailable/);
    await cy.post('during c');
    expect(await cy.waitFor((e) => e.event_type === 'error')).to.include({
      code: 'storage_unavailable',
    });
    expect(ann.socket.readyState).to.equal(WebSocket.OPEN);

    await redis!.restart();
    for (const node of nodes) {
      await eventually('ready again', async () => (await readiness(node)) === 200, 10_000);
    }
    ann.send('after a');
    await bob.waitFor(/<Ann> after a$/, 5000);
    await cy.post('after c');
    for (const watcher of [ann, cy]) {
      await watcher.waitFor((e) => e.event_type === 'message' && e.text === 'after c', 5000);
    }
    const expected = [
      'before 1',
      'before 2',
      'before 3',
      'before 4',
      'before 5',
      'after a',
      'after c',
    ];
    for (const watcher of [ann, cy]) {
      expect(texts(watcher.events)).to.deep.equal(expected);
      expect(seqs(watcher.events)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    }
    await bob.waitFor(/<Cy> after c$/);
    const history = (await request(b.url).get(`/chat/${room}/messages`).expect(200)).body as {
      messages: { text: string }[];
    };
    expect(history.messages.map((m) => m.text)).to.deep.equal(expected);
  });

  it('loses nothing anyone was delivered when Redis stops and starts during traffic', async () => {
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const room = await createRoom(a.url, 'Storm');
    const ann = keep(await joinedClient(a.ws(joinPath(room, 'Ann')), 'Ann'));
    const bob = keep(await joinedClient(b.ws(joinPath(room, 'Bob')), 'Bob'));
    const cy = keep(await SseTestClient.connect(b.url, room, 'Cy'));
    let sending = true;
    let sent = 0;
    const traffic = (async () => {
      while (sending) {
        ann.send(`a${++sent}`);
        bob.send(`b${sent}`);
        await sleep(5);
      }
    })();
    await sleep(150);
    await redis!.stop();
    await sleep(300);
    await redis!.restart();
    for (const node of nodes) {
      await eventually('ready again', async () => (await readiness(node)) === 200, 10_000);
    }
    await sleep(150);
    sending = false;
    await traffic;
    ann.send('the end');
    const refusals = [ann, bob].map((w) => w.ofType('error'));
    for (const errors of refusals) {
      for (const error of errors) expect(error).to.include({ code: 'storage_unavailable' });
    }
    expect(refusals.flat(), 'some messages were refused meanwhile').not.to.deep.equal([]);
    for (const watcher of [ann, bob, cy]) {
      await watcher.waitFor((e) => e.event_type === 'message' && e.text === 'the end', 10_000);
    }
    const stored = (await request(a.url).get(`/chat/${room}/messages?limit=1000`).expect(200))
      .body as { messages: { seq: number; text: string }[] };
    const everything = stored.messages.map((m) => m.text);
    for (const watcher of [ann, bob, cy]) {
      expect(texts(watcher.events)).to.deep.equal(everything);
      expect(seqs(watcher.events)).to.deep.equal(everything.map((_, i) => i + 1));
    }
    expect(ann.socket.readyState).to.equal(WebSocket.OPEN);
  });

  it('fills from history, in order, what nodes missed while their subscriptions were cut', async () => {
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const room = await createRoom(a.url, 'Flaky');
    const ann = keep(await joinedClient(a.ws(joinPath(room, 'Ann')), 'Ann'));
    const bob = keep(await joinedClient(b.ws(joinPath(room, 'Bob')), 'Bob'));
    const cy = keep(await SseTestClient.connect(b.url, room, 'Cy'));
    const total = 200;
    const check = redis!.client();
    try {
      const sending = (async () => {
        for (let n = 1; n <= total; n++) {
          (n % 2 ? ann : bob).send(`m${n}`);
          if (n % 10 === 0) await sleep(15);
        }
      })();
      for (let cut = 0; cut < 5; cut++) {
        await sleep(40);
        await check.call('CLIENT', 'KILL', 'TYPE', 'pubsub'); // every node's subscriber connection
      }
      await sending;
    } finally {
      check.disconnect();
    }
    const all = Array.from({ length: total }, (_, i) => i + 1);
    for (const watcher of [ann, bob, cy]) {
      await watcher.waitForCount('message', total, 10_000);
      expect(seqs(watcher.events)).to.deep.equal(all);
    }
  });

  it('leaves no ghost when Redis lost its data: each node records its live participants again', async () => {
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const room = await createRoom(a.url, 'Amnesia');
    const ann = keep(await joinedClient(a.ws(joinPath(room, 'Ann')), 'Ann'));
    keep(await LineClient.telnet(b.tcpPort, 'Bob', room));
    const gone = keep(await joinedClient(b.ws(joinPath(room, 'Gone')), 'Gone'));
    await gone.close();
    await ann.waitFor((e) => e.event_type === 'participant_left' && e.participant === 'Gone');
    const check = redis!.client();
    try {
      await check.flushall(); // as a Redis restarted without persistence would be
      const present = () => check.zrange(`parley:presence:order:${room}`, '0', '-1');
      await eventually('both nodes re-asserted', async () => (await present()).length === 2, 5000);
      const names = await Promise.all(
        (await present()).map((m) => check.hget(`parley:presence:room:${room}`, `n:${m}`)),
      );
      expect(names.sort()).to.deep.equal(['Ann', 'Bob']);
    } finally {
      check.disconnect();
    }
  });
});
