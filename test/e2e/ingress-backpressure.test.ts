import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { Tokens } from '../../cmd/server/compose.js';
import { resolve } from '../../cmd/server/tokens.js';
import type { MessageStore } from '../../business/ports/message-store.js';
import { DEFAULT_INGRESS_LIMITS } from '../../platform/connections/ingress-window.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

/**
 * The server's store, held shut: appends wait until `open()` (a disk that has fallen behind).
 * `started` counts the messages the server has taken in and handed to storage.
 */
function stallStorage(server: TestServer): { started: () => number; open: () => void } {
  const store = resolve(server.parley.container, Tokens.Messages);
  const append = store.append.bind(store);
  let started = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const stalled: MessageStore['append'] = async (draft) => {
    started++;
    await gate;
    return append(draft);
  };
  store.append = stalled;
  return { started: () => started, open };
}

// 2,000 lines of 1 KB: 2 MB, which a server without backpressure reads whole in a blink.
const COUNT = 2000;
const line = (i: number): string => `${i} ${'x'.repeat(1000)}`;
// What the window allows, plus what the transport had already buffered when it paused (at most
// a 64 KiB read: 64 of these lines).
const MOST_IN_FLIGHT = DEFAULT_INGRESS_LIMITS.maxMessages + 64;

describe('Ingress backpressure: a client cannot queue unbounded work in the server', () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({
      storage: 'memory',
      historyOnJoin: 0,
      tcpPort: await freeTcpPort(),
    });
  });

  afterEach(() => server.stop());

  it('WebSocket: stops reading while storage is behind, then delivers everything in order', async function () {
    this.timeout(20_000);
    const room = await createRoom(server.url, 'Flood');
    const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
    const storage = stallStorage(server);
    for (let i = 1; i <= COUNT; i++) ann.send(line(i));
    await sleep(500);
    expect(storage.started()).to.be.within(DEFAULT_INGRESS_LIMITS.maxMessages, MOST_IN_FLIGHT);

    storage.open();
    const messages = await ann.waitForCount('message', COUNT, 15_000);
    expect(messages.map((m) => m.seq)).to.deep.equal(
      Array.from({ length: COUNT }, (_, i) => i + 1),
    );
    expect(messages.map((m) => String(m.text).split(' ')[0])).to.deep.equal(
      Array.from({ length: COUNT }, (_, i) => String(i + 1)),
    );
    await ann.close();
  });

  it('WebSocket: a client held back by the server is not taken for dead because its pongs wait unread', async function () {
    this.timeout(20_000);
    await server.stop();
    server = await startTestServer({
      ...{ storage: 'memory', historyOnJoin: 0 },
      ...{ pingIntervalMs: 200, pongTimeoutMs: 100 },
    });
    const room = await createRoom(server.url, 'Flood');
    const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
    const storage = stallStorage(server);
    for (let i = 1; i <= COUNT; i++) ann.send(line(i));
    await sleep(1500); // several ping rounds while paused
    expect(ann.socket.readyState, 'still open').to.equal(ann.socket.OPEN);
    storage.open();
    await ann.waitForCount('message', COUNT, 15_000);
    await ann.close();
  });

  it('TCP: stops reading while storage is behind, then answers every line in order', async function () {
    this.timeout(20_000);
    const port = server.parley.tcpPort ?? 0;
    const ann = await LineClient.telnet(port, 'Ann', 'Flood');
    const storage = stallStorage(server);
    for (let i = 1; i <= COUNT; i++) ann.send(line(i));
    await sleep(500);
    expect(storage.started()).to.be.within(DEFAULT_INGRESS_LIMITS.maxMessages, MOST_IN_FLIGHT);

    storage.open();
    await ann.waitFor(new RegExp(`<Ann> ${COUNT} x`), 15_000);
    const echoed = ann.lines
      .filter((l) => l.includes('<Ann> '))
      .map((l) => l.split('<Ann> ')[1]?.split(' ')[0]);
    expect(echoed).to.deep.equal(Array.from({ length: COUNT }, (_, i) => String(i + 1)));
    ann.close();
  });
});
