import { expect } from 'chai';
import request from 'supertest';
import { RawPeer } from '../support/raw-peer.js';
import { createRoom } from '../support/rooms.js';
import { startChildServer } from '../support/child-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import type { TestClient } from '../support/ws-client.js';
import { joinedClient } from '../support/ws-client.js';

const ws = (url: string, path: string) => url.replace(/^http/, 'ws') + path;

describe('Graceful shutdown (real process, real signals)', () => {
  let dir: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(() => dir.remove());

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}: tells every client, closes each with 1001, persists every accepted message, exits 0`, async function () {
      this.timeout(20_000);
      const server = await startChildServer([
        '--data-dir',
        dir.path,
        '--shutdown-timeout',
        '5',
        '--history',
        '1000',
      ]);
      const room = await createRoom(server.url, 'Shutdown');
      const clients: TestClient[] = [];
      for (const name of ['Ann', 'Bob', 'Cy'])
        clients.push(await joinedClient(ws(server.url, joinPath(room, name)), name));

      // A burst still in flight when the signal lands.
      clients.forEach((client, i) => {
        for (let n = 0; n < 100; n++) client.send(`${i}-${n}`);
      });
      await clients[0]?.waitForCount('message', 10);
      server.process.kill(signal);

      const closes = await Promise.all(clients.map((client) => client.closed));
      expect(await server.exited).to.equal(0);
      for (const [i, client] of clients.entries()) {
        expect(closes[i]).to.deep.equal({ code: 1001, reason: 'server_shutting_down' });
        expect(client.ofType('server_shutting_down')).to.have.length(1);
        const last = client.events.at(-1);
        expect(
          client.events
            .slice(client.events.indexOf(client.ofType('server_shutting_down')[0]!) + 1)
            .every((e) => e.event_type !== 'message'),
        ).to.equal(true, `${JSON.stringify(last)}`);
      }
      let refused = false;
      await request(server.url)
        .get('/ping')
        .catch(() => (refused = true));
      expect(refused, 'no longer accepting connections').to.equal(true);

      // Every message any client saw is in history after a restart, with the same seq.
      const accepted = new Map<string, unknown>();
      for (const client of clients)
        for (const e of client.ofType('message')) accepted.set(String(e.id), e.seq);
      const restarted = await startChildServer(['--data-dir', dir.path, '--history', '1000']);
      const reader = await joinedClient(ws(restarted.url, joinPath(room, 'Reader')), 'Reader');
      const history = new Map(reader.ofType('message').map((e) => [String(e.id), e.seq]));
      for (const [id, seq] of accepted) expect(history.get(id), `message ${id}`).to.equal(seq);
      await reader.close();
      restarted.process.kill('SIGTERM');
      expect(await restarted.exited).to.equal(0);
    });
  }

  it('terminates a client that ignores the close handshake when the shutdown deadline passes', async function () {
    this.timeout(20_000);
    const server = await startChildServer(['--data-dir', dir.path, '--shutdown-timeout', '1']);
    const room = await createRoom(server.url, 'Shutdown');
    const stubborn = await RawPeer.connect(server.port, joinPath(room, 'Stubborn'));
    const started = Date.now();
    server.process.kill('SIGTERM');
    await stubborn.ended;
    const waited = Date.now() - started;
    expect(await server.exited).to.equal(0);
    expect(waited).to.be.within(900, 4000);
    expect(stubborn.events.map((e) => e.event_type)).to.include('server_shutting_down');
    expect(stubborn.closeFrame).to.deep.equal({ code: 1001, reason: 'server_shutting_down' });
  });
});
