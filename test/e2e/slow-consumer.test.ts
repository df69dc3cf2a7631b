import { expect } from 'chai';
import request from 'supertest';
import { eventually } from '../support/eventually.js';
import { RawPeer } from '../support/raw-peer.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

describe('Slow consumers', () => {
  let server: TestServer;

  before(async () => {
    // The default 1 MiB send-buffer limit; a short grace so a dropped client is cut promptly.
    server = await startTestServer({ storage: 'memory', historyOnJoin: 0, pongTimeoutMs: 3000 });
  });

  after(() => server.stop());

  it('drops a client that stops reading, with close 4000, without delaying anyone else', async function () {
    this.timeout(20_000);
    const room = (
      (await request(server.url).post('/chat?name=Busy').expect(201)).body as { id: string }
    ).id;
    const fast = await joinedClient(server.ws(joinPath(room, 'Fast')), 'Fast');
    const slow = await RawPeer.connect(server.parley.port, joinPath(room, 'Slow'));
    await fast.waitFor((e) => e.event_type === 'participant_joined' && e.participant === 'Slow');
    slow.pause();

    // 12 MB in windows of 25 × 8 KB: the fast reader is never more than ~200 KB behind, while
    // the paused one overflows the kernel's buffers and then the 1 MiB limit.
    const total = 1500;
    const window = 25;
    const payload = 'x'.repeat(8 * 1024);
    for (let sent = 0; sent < total; sent += window) {
      for (let i = sent; i < sent + window; i++) fast.send(`${i} ${payload}`);
      await fast.waitForCount('message', sent + window, 5000);
    }

    const left = await fast.waitFor(
      (e) => e.event_type === 'participant_left' && e.participant === 'Slow',
    );
    expect(left).to.include({ reason: 'slow_consumer' });
    expect(fast.ofType('message').map((e) => e.seq)).to.deep.equal(
      Array.from({ length: total }, (_, i) => i + 1),
    );

    slow.resume(); // it reads what was queued before the cut, then the close frame
    await eventually(
      'the slow client to read its close frame',
      () => slow.closeFrame !== undefined,
      8000,
    );
    expect(slow.closeFrame).to.deep.equal({ code: 4000, reason: 'slow_consumer' });
    slow.destroy();
    await fast.close();
  });
});

describe('History replay and the send-buffer limit', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ storage: 'memory', historyOnJoin: 100 });
  });

  after(() => server.stop());

  it('does not count a joiner’s own history replay against the limit', async function () {
    this.timeout(20_000);
    const room = (
      (await request(server.url).post('/chat?name=Big').expect(201)).body as { id: string }
    ).id;
    const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
    const big = 'y'.repeat(60 * 1024);
    // 6 MB of history, 6× the limit, sent 10 at a time so Ann herself never falls behind.
    for (let i = 0; i < 100; i++) {
      ann.send(`${i} ${big}`);
      if (i % 10 === 9) await ann.waitForCount('message', i + 1, 10_000);
    }
    const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
    expect(bob.ofType('message')).to.have.length(100);
    ann.send('live');
    expect(await bob.waitFor((e) => e.text === 'live')).to.include({ seq: 101 });
    expect(ann.ofType('participant_left')).to.have.length(0);
    await Promise.all([ann.close(), bob.close()]);
  });
});
