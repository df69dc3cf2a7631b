import { expect } from 'chai';
import { createServer, request, type Server } from 'node:http';
import { ChatProcess, killLeftoverChats } from '../support/chat-process.js';
import { createRoom } from '../support/rooms.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

/** An HTTP proxy that passes requests (SSE streams included) and drops every WebSocket upgrade. */
async function proxyWithoutUpgrades(target: string): Promise<{ url: string; server: Server }> {
  const { hostname, port } = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const upstream = request(
      {
        host: hostname,
        port,
        path: incoming.url,
        method: incoming.method,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  server.on('upgrade', (_request, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

describe('parley-chat where WebSocket cannot pass', function () {
  this.timeout(15_000);
  let server: TestServer;
  let proxy: Server | undefined;

  afterEach(async () => {
    killLeftoverChats();
    const open = proxy;
    proxy = undefined;
    open?.closeAllConnections();
    if (open !== undefined) await new Promise((resolve) => open.close(resolve));
    await server.stop();
  });

  it('falls back to Server-Sent Events, and says so', async () => {
    server = await startTestServer();
    const roomId = await createRoom(server.url, 'Lobby');
    const peer = await joinedClient(server.ws(joinPath(roomId, 'Peer')), 'Peer');
    const passing = await proxyWithoutUpgrades(server.url);
    proxy = passing.server;
    const john = ChatProcess.start(['--url', passing.url, '--room', 'Lobby', '--name', 'John']);
    await john.waitFor(/-- connected \(sse\)/);
    john.type('through the proxy');
    await peer.waitFor((e) => e.event_type === 'message' && e.text === 'through the proxy');
    peer.send('got it');
    await john.waitFor(/<Peer> got it$/m);
    john.endInput();
    expect(await john.exitCode()).to.equal(0);
    expect(john.stdout).not.to.match(/-- connected \(websocket\)/);
    await peer.close();
  });
});
