import { expect } from 'chai';
import request from 'supertest';
import { Tokens } from '../../cmd/server/compose.js';
import { resolve } from '../../cmd/server/tokens.js';
import type { ParleyConfig } from '../../platform/config/parley-config.js';
import { RawPeer } from '../support/raw-peer.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';

const MAX_MESSAGE_BYTES = 1024;

/** How a connection can end, and what brings it about for a joined raw peer. */
const ENDINGS: {
  name: string;
  config?: Partial<ParleyConfig>;
  end(peer: RawPeer): void;
}[] = [
  { name: 'an abrupt TCP reset', end: (peer) => peer.reset() },
  { name: 'a socket closed without a close frame', end: (peer) => peer.destroy() },
  { name: 'invalid UTF-8', end: (peer) => peer.sendFrame(0x1, Buffer.from([0xc3, 0x28])) },
  {
    name: 'a protocol error (RSV1 set)',
    end: (peer) => peer.sendFrame(0x1, Buffer.from('x'), 0x40),
  },
  { name: 'a binary frame', end: (peer) => peer.sendFrame(0x2, Buffer.from([1, 2, 3])) },
  {
    name: 'an oversize frame',
    end: (peer) => peer.sendFrame(0x1, Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x61)),
  },
  {
    name: 'the ping timeout',
    config: { pingIntervalMs: 200, pongTimeoutMs: 100 },
    end: () => undefined, // RawPeer never answers pings
  },
];

async function participantsOf(server: TestServer, room: string): Promise<string[]> {
  const body = (await request(server.url).get(`/chat/${room}`).expect(200)).body as {
    participants: { name: string }[];
  };
  return body.participants.map((p) => p.name);
}

describe('No ghost members, WebSocket endings (the rest: test/conformance): every way a connection ends releases the participant', () => {
  for (const ending of ENDINGS) {
    it(`after ${ending.name}: one participant_left, gone from the list, nickname free again`, async () => {
      // The watcher talks now and then so the idle timeout never takes it.
      const server = await startTestServer({
        storage: 'memory',
        maxMessageBytes: MAX_MESSAGE_BYTES,
        ...ending.config,
      });
      const watchers: TestClient[] = [];
      try {
        const room = (
          (await request(server.url).post('/chat?name=Ghosts').expect(201)).body as { id: string }
        ).id;
        const watcher = await joinedClient(server.ws(joinPath(room, 'Watcher')), 'Watcher');
        watchers.push(watcher);
        const chatter = setInterval(() => watcher.send('still here'), 50);
        const peer = await RawPeer.connect(server.parley.port, joinPath(room, 'Ghost'));
        await watcher.waitFor(
          (e) => e.event_type === 'participant_joined' && e.participant === 'Ghost',
        );
        ending.end(peer);
        const flood = ending.name.includes('slow consumer')
          ? setInterval(() => [1, 2, 3].forEach(() => watcher.send('x'.repeat(60_000))), 10)
          : undefined;
        const left = await watcher.waitFor(
          (e) => e.event_type === 'participant_left' && e.participant === 'Ghost',
          5000,
        );
        clearInterval(chatter);
        clearInterval(flood);
        expect(left.reason).to.be.a('string');
        expect(await participantsOf(server, room)).to.deep.equal(['Watcher']);
        const again = await joinedClient(server.ws(joinPath(room, 'ghost')), 'ghost');
        watchers.push(again);
        await new Promise((r) => setTimeout(r, 100)); // a second participant_left would be here by now
        const leaves = watcher.events.filter(
          (e) => e.event_type === 'participant_left' && e.participant === 'Ghost',
        );
        expect(leaves).to.have.length(1);
        peer.destroy();
      } finally {
        await Promise.all(watchers.map((w) => w.close()));
        await server.stop();
      }
    });
  }

  it('after server shutdown: every participant is released', async () => {
    const server = await startTestServer({ storage: 'memory' });
    const room = (
      (await request(server.url).post('/chat?name=Ghosts').expect(201)).body as { id: string }
    ).id;
    const clients = await Promise.all(
      ['A', 'B', 'C'].map((name) => joinedClient(server.ws(joinPath(room, name)), name)),
    );
    const peer = await RawPeer.connect(server.parley.port, joinPath(room, 'Raw'));
    const presence = resolve(server.parley.container, Tokens.Presence);
    expect((await presence.counts([room])).get(room)).to.equal(4);
    await server.stop();
    expect((await presence.counts([room])).get(room) ?? 0).to.equal(0);
    for (const client of clients) expect((await client.closed).code).to.equal(1001);
    peer.destroy();
  });
});
