import { expect } from 'chai';
import { connect } from 'node:net';
import { Tokens } from '../../../cmd/server/compose.js';
import { resolve } from '../../../cmd/server/tokens.js';
import { startTestServer } from '../../support/test-server.js';

/** Sends a raw upgrade request and returns the first line of the answer. */
async function upgradeStatusLine(port: number, path: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolveConnect) => socket.once('connect', resolveConnect));
  socket.write(
    `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  const answer = await new Promise<string>((resolveData) =>
    socket.once('data', (chunk) => resolveData(String(chunk))),
  );
  socket.destroy();
  return answer.split('\r\n')[0] ?? '';
}

describe('WsTransport', () => {
  it('refuses upgrades with HTTP 503 once shutdown has begun, before upgrading', async () => {
    const server = await startTestServer({ storage: 'memory' });
    const gateway = resolve(server.parley.container, Tokens.WsTransport);
    expect(await upgradeStatusLine(server.parley.port, '/chat/join?name=a&room=b')).to.equal(
      'HTTP/1.1 101 Switching Protocols',
    );
    await gateway.shutdown(Date.now());
    expect(await upgradeStatusLine(server.parley.port, '/chat/join?name=a&room=b')).to.equal(
      'HTTP/1.1 503 Service Unavailable',
    );
    await server.stop();
  });
});
