import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { startNode, stopNode, type ClusterNode } from '../support/cluster.js';
import { LineClient } from '../support/line-client.js';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.js';
import { createRoom } from '../support/rooms.js';
import { SseTestClient } from '../support/sse-client.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient, type ServerEvent } from '../support/ws-client.js';

/** The nodes run with --node-ttl 2 (test/support/cluster.ts). */
const NODE_TTL_MS = 2000;

const leftEvents = (events: readonly ServerEvent[], name: string) =>
  events.filter((e) => e.event_type === 'participant_left' && e.participant === name);

describe('A node killed outright (kill -9), with nodes on one Redis (real processes)', function () {
  this.timeout(30_000);
  let redis: RedisServer | undefined;
  let nodes: ClusterNode[] = [];
  const clients: { close(): unknown }[] = [];

  before(function () {
    skipWithoutRedis(this);
  });

  beforeEach(async () => {
    redis = await RedisServer.start();
    nodes = await Promise.all(['a', 'b', 'c'].map((id) => startNode(redis!.url(), `node-${id}`)));
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    for (const node of nodes) await stopNode(node);
    await redis?.destroy();
  });

  function keep<T extends { close(): unknown }>(client: T): T {
    clients.push(client);
    return client;
  }

  it('lets the survivors announce each of its participants left (disconnected) once, within the TTL, and free their nicknames', async () => {
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const room = await createRoom(a.url, 'Lifeboat');
    const ann = keep(await joinedClient(a.ws(joinPath(room, 'Ann')), 'Ann'));
    const bob = keep(await SseTestClient.connect(b.url, room, 'Bob'));
    const ghosts = ['Gus', 'Gil', 'Gwen'];
    keep(await joinedClient(c.ws(joinPath(room, 'Gus')), 'Gus'));
    keep(await LineClient.telnet(c.tcpPort, 'Gil', room));
    keep(await SseTestClient.connect(c.url, room, 'Gwen'));
    await bob.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Gwen');

    c.server.process.kill('SIGKILL');
    const killedAt = Date.now();
    for (const watcher of [ann, bob]) {
      for (const ghost of ghosts) {
        const left = await watcher.waitFor(
          (e) => e.event_type === 'participant_left' && e.participant === ghost,
          NODE_TTL_MS + 2000,
        );
        expect(left).to.include({ reason: 'disconnected' });
      }
    }
    expect(Date.now() - killedAt).to.be.below(NODE_TTL_MS + 750);
    await sleep(NODE_TTL_MS); // whoever else might reap them has had the time to
    for (const watcher of [ann, bob]) {
      for (const ghost of ghosts)
        expect(leftEvents(watcher.events, ghost), ghost).to.have.length(1);
    }
    const listed = (await request(a.url).get(`/chat/${room}`).expect(200)).body as {
      participants: { name: string }[];
    };
    expect(listed.participants.map((p) => p.name)).to.deep.equal(['Ann', 'Bob']);
    keep(await joinedClient(b.ws(joinPath(room, 'gus')), 'gus')); // the nickname is free again
  });
});
