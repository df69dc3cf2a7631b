import { expect } from 'chai';
import { type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { startParley, type RunningParley } from '../../cmd/server/compose.js';
import { DEFAULT_CONFIG } from '../../platform/config/parley-config.js';
import { silentLogger } from '../../platform/logging/logger.js';
import { launchChromium } from '../support/chromium.js';
import { ClientPage } from '../support/client-page.js';
import { eventually } from '../support/eventually.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinedClient } from '../support/ws-client.js';

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

/**
 * An HTTP proxy in front of Parley that passes requests (SSE streams included, unbuffered)
 * and refuses every WebSocket upgrade, as some corporate proxies do: the browser's WebSocket
 * fails to open while `/ping` answers.
 */
async function proxyWithoutWebSocket(target: string): Promise<{ url: string; server: Server }> {
  const { hostname, port } = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const forwarded = request(
      { hostname, port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    outgoing.on('close', () => forwarded.destroy());
    incoming.pipe(forwarded);
  });
  server.on('upgrade', (_request, socket) => {
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('Browser client at /client (Chromium): reconnecting and falling back', function () {
  this.timeout(45_000);
  let browser: Browser;
  let dir: { path: string; remove(): Promise<void> };
  let parley: RunningParley | undefined;
  let port = 0;
  let pages: ClientPage[] = [];

  async function start(): Promise<RunningParley> {
    parley = await startParley(
      {
        ...DEFAULT_CONFIG,
        port,
        tcpPort: 0,
        dataDir: dir.path,
        shutdownTimeoutMs: 2000,
        rateLimit: 0,
        maxConnectionsPerIp: 0,
        roomCreationRate: 0,
      },
      silentLogger(),
    );
    port = Number(new URL(parley.url).port);
    return parley;
  }

  async function open(baseUrl: string): Promise<ClientPage> {
    const page = await ClientPage.open(browser, baseUrl);
    pages.push(page);
    return page;
  }

  before(async function () {
    browser = await launchChromium(this);
  });

  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    dir = await makeTempDir();
    port = 0;
    pages = [];
    await start();
  });

  afterEach(async () => {
    for (const page of pages) await page.close();
    await parley?.shutdown();
    parley = undefined;
    await dir.remove();
  });

  it('carries both pages across a server restart with no duplicate and no gap', async () => {
    const url = parley!.url;
    const ann = await open(url);
    await ann.join('Ann', 'Lobby');
    const bob = await open(url);
    await bob.join('Bob', 'Lobby');
    await ann.send('before the restart');
    await bob.send('me too');
    await ann.waitForText('me too');

    await parley!.shutdown(); // same port and data directory next: a restart
    for (const page of [ann, bob]) {
      await page.waitForLogLine(/^The server is shutting down or restarting$/);
      await page.waitForState('reconnecting');
      expect(await page.statusText()).to.match(/^Connection lost/);
      // Offline while the server comes back and a third person talks: a gap to fill.
      await page.context.setOffline(true);
    }
    await ann.send('typed while away'); // kept, sent once back
    await start();
    const roomId = (
      (await fetch(`${parley!.url}/chat`).then((r) => r.json())) as { id: string }[]
    )[0]!.id;
    const writer = await joinedClient(
      `${parley!.url.replace(/^http/, 'ws')}/chat/join?name=Writer&room=${roomId}&history=0`,
      'Writer',
    );
    for (const n of range(3, 42)) writer.send(`meanwhile ${n}`); // more than the replay's 15
    await writer.waitFor((e) => e.event_type === 'message' && e.seq === 42);
    // Ann does not wait out the delay (it may have grown to seconds); Bob's page retries by itself.
    // The button shows while a retry waits (offline, attempts fail at once); back online, Ann's
    // own timer may win the race to reconnect, and then the button is gone: either way is right.
    const reconnectNow = ann.page.getByRole('button', { name: 'Reconnect now' });
    await reconnectNow.waitFor({ state: 'visible', timeout: 10_000 });
    for (const page of [ann, bob]) await page.context.setOffline(false);
    await reconnectNow.click({ timeout: 3000 }).catch(() => undefined);

    for (const page of [ann, bob]) await page.waitForState('connected', 20_000);
    await bob.waitForText('typed while away', 10_000);
    writer.send('after');
    for (const page of [ann, bob]) {
      await page.waitForText('after');
      const shown = await page.messages();
      expect(shown.map((m) => m.seq)).to.deep.equal(range(1, 44));
      expect(shown[42]?.text).to.equal('typed while away');
      expect(await page.statusText()).to.equal('Connected (WebSocket)');
      page.expectNoProblems();
    }
    // Who is here after the restart: asked again on the new connection (join order varies).
    await eventually('everyone present', async () => (await ann.people()).length === 3);
    expect((await ann.people()).sort()).to.deep.equal(['Ann (you)', 'Bob', 'Writer']);
    await writer.close();
  });

  it('falls back to Server-Sent Events when a proxy refuses WebSocket upgrades', async () => {
    const proxy = await proxyWithoutWebSocket(parley!.url);
    try {
      const ann = await open(proxy.url); // through the proxy: no WebSocket
      await ann.join('Ann', 'Lobby');
      expect(await ann.statusText()).to.equal('Connected (Server-Sent Events)');
      const bob = await open(parley!.url); // directly: WebSocket
      await bob.join('Bob', 'Lobby');
      expect(await bob.statusText()).to.equal('Connected (WebSocket)');

      await ann.waitForPeople(['Ann (you)', 'Bob']);
      await ann.send('hello over SSE');
      await bob.waitForText('hello over SSE');
      await bob.send('hello over WebSocket');
      await ann.waitForText('hello over WebSocket');
      await ann.page.getByRole('button', { name: 'Private message to Bob' }).click();
      await ann.page.getByLabel('Message', { exact: true }).press('End');
      await ann.page.getByLabel('Message', { exact: true }).pressSequentially('psst');
      await ann.page.getByLabel('Message', { exact: true }).press('Enter');
      await bob.waitForLogLine(/^Ann to Bob \(private\)[\s\S]*psst$/);
      expect((await ann.messages()).map((m) => m.seq)).to.deep.equal([1, 2]);
      for (const page of [ann, bob]) page.expectNoProblems();

      await ann.page.getByRole('button', { name: 'Leave room' }).click();
      await bob.waitForPeople(['Bob (you)']);
    } finally {
      proxy.server.closeAllConnections();
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });
});
