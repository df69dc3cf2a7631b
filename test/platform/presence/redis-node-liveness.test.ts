import { expect } from 'chai';
import type { Participant } from '../../../business/chat/participant.js';
import type { PresentParticipant } from '../../../business/ports/presence-registry.js';
import { silentLogger } from '../../../platform/logging/logger.js';
import { NodeLiveness } from '../../../platform/presence/node-liveness.js';
import { RedisPresenceRegistry } from '../../../platform/presence/redis-presence-registry.js';
import { RedisConnections } from '../../../platform/redis/redis-connections.js';
import { eventually } from '../../support/eventually.js';
import { RedisServer, skipWithoutRedis } from '../../support/redis-server.js';

const TTL_MS = 400;

let members = 0;
function participant(name: string): Participant {
  return { memberId: `m${++members}`, name, joinedAt: 1_800_000_000_000 };
}

/** A node: a registry on its own connections, and what its liveness handed it. */
interface Node {
  readonly registry: RedisPresenceRegistry;
  readonly departed: PresentParticipant[];
  readonly restored: PresentParticipant[];
  readonly lost: PresentParticipant[];
  readonly liveness: NodeLiveness;
}

describe('NodeLiveness over Redis (a real redis-server)', function () {
  let redis: RedisServer | undefined;
  const opened: RedisConnections[] = [];
  const started: NodeLiveness[] = [];

  before(async function () {
    skipWithoutRedis(this);
    redis = await RedisServer.start({ appendonly: true });
  });

  after(async () => {
    await redis?.destroy();
  });

  afterEach(async () => {
    for (const liveness of started.splice(0)) await liveness.stop();
    for (const connections of opened.splice(0)) connections.disconnect();
    await redis!.flush();
  });

  async function node(id: string): Promise<Node> {
    const connections = await RedisConnections.open(redis!.url(), silentLogger());
    opened.push(connections);
    const registry = new RedisPresenceRegistry(connections.commands, id, silentLogger());
    const departed: PresentParticipant[] = [];
    const lost: PresentParticipant[] = [];
    const restored: PresentParticipant[] = [];
    const handlers = {
      restored: (p: PresentParticipant) => restored.push(p),
      departed: (p: PresentParticipant) => departed.push(p),
      lost: (p: PresentParticipant) => lost.push(p),
    };
    const liveness = new NodeLiveness(registry, TTL_MS, handlers, silentLogger());
    return { registry, departed, restored, lost, liveness };
  }

  async function live(id: string): Promise<Node> {
    const n = await node(id);
    await n.liveness.start();
    started.push(n.liveness);
    return n;
  }

  it('leaves no entry behind for a claim that timed out but ran in Redis later', async function () {
    this.timeout(10_000);
    const n = await node('slow');
    const admin = redis!.client();
    try {
      await n.registry.claim('r0', participant('Warm')); // Redis knows the script (EVALSHA)
      // Redis holds every command for 2.5 s: the claim times out (2 s) and the join is refused.
      await admin.client('PAUSE', 2500, 'ALL');
      const ann = participant('Ann');
      let refused = false;
      await n.registry.claim('r1', ann).catch(() => (refused = true));
      expect(refused).to.equal(true);
      await eventually('Redis running again', async () => (await admin.ping()) === 'PONG', 5000);
      await eventually('no ghost', async () => (await n.registry.list('r1')).length === 0, 3000);
      await new Promise((resolve) => setTimeout(resolve, 300)); // and none comes back
      expect(await n.registry.list('r1')).to.deep.equal([]);
      expect(await n.registry.claim('r1', participant('Ann'))).to.equal(true); // the name is free
    } finally {
      admin.disconnect();
    }
  });

  it('releases a dead node’s participants within the TTL, each to exactly one survivor', async () => {
    const dead = await node('dead');
    await dead.registry.heartbeat(TTL_MS); // beats once, then "is killed": never again
    const ghosts = [participant('Ann'), participant('Bob'), participant('Cy')];
    await dead.registry.claim('r1', ghosts[0]!);
    await dead.registry.claim('r1', ghosts[1]!);
    await dead.registry.claim('r2', ghosts[2]!);
    const survivors = [await live('s1'), await live('s2'), await live('s3')];
    await survivors[0]!.registry.claim('r1', participant('Dee'));
    const killedAt = Date.now();
    const reaped = () => survivors.flatMap((s) => s.departed);
    await eventually('the ghosts reaped', () => reaped().length >= 3, 3000);
    expect(Date.now() - killedAt).to.be.below(TTL_MS + 250);
    await new Promise((resolve) => setTimeout(resolve, TTL_MS)); // no second reaping
    const names = reaped()
      .map((p) => `${p.roomId}/${p.participant.name}`)
      .sort();
    expect(names).to.deep.equal(['r1/Ann', 'r1/Bob', 'r2/Cy']);
    expect(reaped().map((p) => p.participant)).to.deep.include(ghosts[0]);
    expect((await survivors[1]!.registry.list('r1')).map((p) => p.name)).to.deep.equal(['Dee']);
    expect(await survivors[2]!.registry.claim('r1', participant('ann'))).to.equal(true);
  });

  it('never reaps a node that keeps beating', async () => {
    const [a, b] = [await live('a'), await live('b')];
    await a.registry.claim('r1', participant('Ann'));
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 3));
    expect(b.departed).to.deep.equal([]);
    expect(a.departed).to.deep.equal([]);
    expect((await b.registry.list('r1')).map((p) => p.name)).to.deep.equal(['Ann']);
  });

  it('records its participants again after Redis lost its data (no ghost, no loss)', async () => {
    const a = await live('a');
    const ann = participant('Ann');
    await a.registry.claim('r1', ann);
    const gone = participant('Bob');
    await a.registry.claim('r1', gone);
    await a.registry.release('r1', gone.memberId);
    await redis!.flush();
    await eventually('Ann recorded again', async () => (await a.registry.list('r1')).length === 1);
    expect(await a.registry.list('r1')).to.deep.equal([ann]);
    expect(a.restored.map((p) => p.participant)).to.deep.equal([ann]);
    expect(a.lost).to.deep.equal([]);
  });

  it('comes back after being taken for dead: records its own again, gives up a nickname taken meanwhile', async () => {
    const a = await node('a');
    await a.registry.heartbeat(TTL_MS);
    const [ann, bob] = [participant('Ann'), participant('Bob')];
    await a.registry.claim('r1', ann);
    await a.registry.claim('r1', bob);
    const b = await live('b');
    await eventually('a reaped', () => b.departed.length === 2, 3000);
    await b.registry.claim('r1', participant('BOB'));
    await a.liveness.start(); // a beats again: Redis did not know it any more
    started.push(a.liveness);
    await eventually('a re-asserted', () => a.lost.length === 1, 3000);
    expect(a.lost.map((p) => p.participant.name)).to.deep.equal(['Bob']);
    expect(a.restored.map((p) => p.participant)).to.deep.equal([ann]);
    await eventually('Ann back', async () =>
      (await b.registry.list('r1')).some((p) => p.name === 'Ann'),
    );
    expect((await b.registry.list('r1')).map((p) => p.name)).to.deep.equal(['BOB', 'Ann']);
  });

  it('retries a release that could not reach Redis, once Redis is back', async () => {
    const a = await live('a');
    const ann = participant('Ann');
    await a.registry.claim('r1', ann);
    await redis!.stop();
    await a.registry.release('r1', ann.memberId); // resolves: retried later
    await redis!.restart(); // appendonly: Ann's entry is still there
    await eventually(
      'Ann released',
      async () => {
        try {
          return (await a.registry.list('r1')).length === 0;
        } catch {
          return false;
        }
      },
      5000,
    );
  });
});
