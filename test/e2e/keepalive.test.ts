import { expect } from 'chai';
import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { RawPeer } from '../support/raw-peer.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

describe('Keepalive', () => {
  let server: TestServer;
  let room: string;

  before(async () => {
    server = await startTestServer({ storage: 'memory', pingIntervalMs: 150, pongTimeoutMs: 100 });
    room = ((await request(server.url).post('/chat?name=Alive').expect(201)).body as { id: string })
      .id;
  });

  after(() => server.stop());

  it('pings, drops a peer that stops answering, and tells the room it left', async () => {
    const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
    const silent = await RawPeer.connect(server.parley.port, joinPath(room, 'Silent'));
    await ann.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Silent');
    const left = await ann.waitFor(
      (e) => e.event_type === 'participant_left' && e.participant === 'Silent',
      2000,
    );
    expect(left).to.include({ reason: 'ping_timeout' });
    expect(silent.pings).to.be.greaterThan(0);
    await silent.ended; // the server really cut the TCP connection
    const details = (await request(server.url).get(`/chat/${room}`).expect(200)).body as {
      participants: { name: string }[];
    };
    expect(details.participants.map((p) => p.name)).to.deep.equal(['Ann']);
    await ann.close();
  });

  it('keeps a peer that answers pings connected across many intervals', async () => {
    const ann = await joinedClient(server.ws(joinPath(room, 'Steady')), 'Steady');
    let pings = 0;
    ann.socket.on('ping', () => pings++);
    await sleep(800);
    expect(pings).to.be.greaterThanOrEqual(3);
    ann.send('still here');
    expect(await ann.waitForType('message')).to.include({ text: 'still here' });
    expect(ann.ofType('participant_left')).to.have.length(0);
    await ann.close();
  });
});
