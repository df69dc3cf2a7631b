import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { workerAuditLog } from '../../cmd/server/cluster-primary.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { eventually } from '../support/eventually.js';
import { RedisServer, skipWithoutRedis } from '../support/redis-server.js';
import { createRoom } from '../support/rooms.js';
import { SseTestClient } from '../support/sse-client.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';

/** One request on a connection of its own, so the cluster hands each to the next worker. */
function freshRequest(
  url: string,
  method = 'GET',
  headers: Record<string, string> = {},
  body = '',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The pids of the primary's worker processes. */
function workerPids(primary: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(primary)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number)
      .filter((pid) => pid > 0);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

describe('--procs 2: worker processes on one port, one Redis-backed cluster (real processes)', function () {
  this.timeout(40_000);
  let redis: RedisServer | undefined;
  let server: ChildServer | undefined;
  let auditDir: { path: string; remove(): Promise<void> } | undefined;
  const clients: { close(): unknown }[] = [];

  beforeEach(async function () {
    skipWithoutRedis(this);
    redis = await RedisServer.start();
    auditDir = await makeTempDir();
    server = await startChildServer(
      [
        ...['--procs', '2', '--storage', 'redis', '--redis-url', redis.url(), '--node-ttl', '2'],
        ...['--audit-log', join(auditDir.path, 'audit.log')],
      ],
      {},
      {},
      30_000,
    );
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    if (server !== undefined && server.process.exitCode === null) {
      server.process.kill('SIGTERM');
      await server.exited;
    }
    await redis?.destroy();
    await auditDir?.remove();
  });

  function keep<T extends { close(): unknown }>(client: T): T {
    clients.push(client);
    return client;
  }

  it('prints listening once, spreads connections over both workers, and they share rooms on every transport', async () => {
    const { url } = server!;
    expect(server!.stdout().match(/listening on/g)).to.have.length(1);
    expect(workerPids(server!.process.pid!)).to.have.length(2);
    const nodes = new Set<string>();
    for (let i = 0; i < 6; i += 1) {
      const stats = await freshRequest(`${url}/stats`);
      nodes.add((JSON.parse(stats.body) as { node: string }).node);
    }
    expect(nodes.size).to.equal(2);

    const room = await createRoom(url, 'Procs');
    const ws = (name: string) => url.replace(/^http/, 'ws') + joinPath(room, name);
    const ann = keep(await joinedClient(ws('Ann'), 'Ann'));
    const bob = keep(await joinedClient(ws('Bob'), 'Bob'));
    const cy = keep(await SseTestClient.connect(url, room, 'Cy'));
    await ann.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Cy');
    ann.send('from ann');
    await bob.waitFor((e) => e.event_type === 'message' && e.text === 'from ann');
    // Each post on a new connection: some reach the worker without the stream (handed over).
    const posts = ['one', 'two', 'three', 'four'];
    for (const text of posts) {
      const answer = await freshRequest(
        `${url}/chat/${room}/messages`,
        'POST',
        { 'Parley-Session': cy.sessionKey, 'Content-Type': 'text/plain' },
        text,
      );
      expect(answer.status).to.equal(202);
    }
    for (const member of [ann, bob]) {
      await member.waitFor((e) => e.event_type === 'message' && e.text === 'four');
    }
    const texts = (client: TestClient) =>
      client.events.filter((e) => e.event_type === 'message').map((e) => e.text);
    expect(texts(ann)).to.deep.equal(['from ann', ...posts]);
    expect(texts(bob)).to.deep.equal(['from ann', ...posts]);
    // No two workers append to (and rotate) one audit file: each has its own.
    const files = (await readdir(auditDir!.path)).sort();
    expect(files).to.deep.equal(['audit.worker1.log', 'audit.worker2.log']);
  });

  it('restarts a worker killed with SIGKILL; its participants are announced as left; SIGTERM stops all', async () => {
    const { url } = server!;
    const primary = server!.process.pid!;
    const room = await createRoom(url, 'Survive');
    const ws = (name: string) => url.replace(/^http/, 'ws') + joinPath(room, name);
    const members: TestClient[] = [];
    for (const name of ['A1', 'A2', 'A3', 'A4'])
      members.push(keep(await joinedClient(ws(name), name)));
    const before = workerPids(primary);
    const victim = before[0]!;
    process.kill(victim, 'SIGKILL');
    // The killed worker's clients drop; the others see each of them leave, once.
    const dropped = new Set<TestClient>();
    for (const member of members) void member.closed.then(() => dropped.add(member));
    await eventually('the killed worker’s connections dropped', () => dropped.size > 0);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the rest of that worker's
    const survivors = members.filter((member) => !dropped.has(member));
    expect(survivors.length).to.be.within(1, 3);
    const gone = members.filter((m) => !survivors.includes(m)).length;
    const witness = survivors[0]!;
    await witness.waitFor(
      () => witness.events.filter((e) => e.event_type === 'participant_left').length === gone,
      8000,
    );
    await eventually(
      'a new worker',
      () => {
        const now = workerPids(primary);
        return now.length === 2 && !now.includes(victim);
      },
      8000,
    );
    const lefts = witness.events.filter((e) => e.event_type === 'participant_left');
    expect(lefts).to.have.length(gone); // once each, also after the reaping
    expect(lefts.every((e) => e.reason === 'disconnected')).to.equal(true);
    const fresh = keep(await joinedClient(ws('Late'), 'Late'));
    fresh.send('still here');
    await witness.waitFor((e) => e.event_type === 'message' && e.text === 'still here');

    server!.process.kill('SIGTERM');
    expect(await server!.exited).to.equal(0);
    const after = workerPids(primary);
    expect(after).to.deep.equal([]);
  });
});

describe('workerAuditLog', () => {
  it('names each worker’s audit file after its slot, before the extension', () => {
    expect(workerAuditLog('/var/log/audit.log', '2')).to.equal('/var/log/audit.worker2.log');
    expect(workerAuditLog('/var/log.d/audit', '1')).to.equal('/var/log.d/audit.worker1');
    expect(workerAuditLog('/var/log/audit.log', undefined)).to.equal('/var/log/audit.log');
    expect(workerAuditLog('', '1')).to.equal('');
  });
});
