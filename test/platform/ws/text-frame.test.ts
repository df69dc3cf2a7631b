import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { textFrame } from '../../../platform/ws/text-frame.js';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Serves `frame` raw, after a hand-made 101 answer, to a real ws client; resolves with what it read. */
async function receivedByWsClient(frame: Buffer): Promise<{ text: string; isBinary: boolean }> {
  const server = createServer((socket) => {
    socket.once('data', (request) => {
      const key = /Sec-WebSocket-Key: (\S+)/i.exec(request.toString())?.[1] ?? '';
      const accept = createHash('sha1')
        .update(key + GUID)
        .digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      socket.write(frame);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  try {
    return await new Promise((resolve, reject) => {
      client.once('message', (data, isBinary) =>
        resolve({ text: (data as Buffer).toString(), isBinary }),
      );
      client.once('error', reject);
    });
  } finally {
    client.terminate();
    server.close();
  }
}

describe('textFrame', () => {
  for (const length of [0, 1, 125, 126, 65_535, 65_536, 100_000]) {
    it(`builds a text frame a ws client reads back, for ${length} bytes (all three length forms)`, async () => {
      const text = 'a'.repeat(length);
      expect(await receivedByWsClient(textFrame(text))).to.deep.equal({ text, isBinary: false });
    });
  }

  it('counts the length in UTF-8 bytes, not characters', async () => {
    const text = 'ünïcødé 😀'.repeat(20);
    const frame = textFrame(text);
    expect(frame.length).to.equal(4 + Buffer.byteLength(text));
    expect((await receivedByWsClient(frame)).text).to.equal(text);
  });
});
