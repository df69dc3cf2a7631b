import { expect } from 'chai';
import request from 'supertest';
import { shareAcrossTests, startChildServer, type ChildServer } from '../support/child-server.js';
import { frameBytes, RawPeer } from '../support/raw-peer.js';
import { createRoom } from '../support/rooms.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import type { TestClient } from '../support/ws-client.js';
import { joinedClient } from '../support/ws-client.js';

const MAX_MESSAGE_BYTES = 4096;
const SEND_BUFFER_LIMIT = 64 * 1024;

/**
 * Hostile WebSocket clients against a real server process. Each ends its own connection at
 * worst: the room sees it leave with the right reason, and the server goes on.
 */
describe('Hostile WebSocket clients (real process)', function () {
  this.timeout(20_000);
  let server: ChildServer;
  let dir: { path: string; remove(): Promise<void> };
  let room: string;
  let observer: TestClient;
  let joined = 0;

  before(async () => {
    dir = await makeTempDir();
    server = shareAcrossTests(
      await startChildServer([
        ...['--data-dir', dir.path, '--max-message-bytes', String(MAX_MESSAGE_BYTES)],
        ...['--send-buffer-limit', String(SEND_BUFFER_LIMIT)],
      ]),
    );
    room = await createRoom(server.url, 'Hostile');
    observer = await joinedClient(ws(joinPath(room, 'Observer')), 'Observer');
  });

  after(async () => {
    await observer.close();
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    await dir.remove();
  });

  const ws = (path: string): string => server.url.replace(/^http/, 'ws') + path;

  /** A raw peer joined to the room under a fresh name. */
  async function intruder(): Promise<{ peer: RawPeer; name: string }> {
    const name = `intruder${++joined}`;
    const peer = await RawPeer.connect(server.port, joinPath(room, name));
    await observer.waitFor((e) => e.event_type === 'participant_joined' && e.participant === name);
    return { peer, name };
  }

  function leaveReasonOf(name: string, timeoutMs = 10_000): Promise<unknown> {
    return observer
      .waitFor((e) => e.event_type === 'participant_left' && e.participant === name, timeoutMs)
      .then((event) => event.reason);
  }

  async function expectAlive(): Promise<void> {
    await request(server.url).get('/ping').expect(200, 'pong');
    observer.send('still here');
    await observer.waitFor((e) => e.event_type === 'message' && e.text === 'still here');
    observer.events.length = 0;
  }

  it('drops a client that floods commands and never reads the answers: replies count toward its bound', async () => {
    const { peer, name } = await intruder();
    peer.pause();
    const help = frameBytes({ opcode: 0x1, payload: Buffer.from('/help') });
    peer.sendRaw(Buffer.concat(Array.from({ length: 20_000 }, () => help))); // 1.6 MB of answers
    expect(await leaveReasonOf(name)).to.equal('slow_consumer');
    peer.destroy();
    await expectAlive();
  });

  it('takes a close frame without a code (what browsers and ws send by default) as a quit', async () => {
    const { peer, name } = await intruder();
    peer.sendRaw(frameBytes({ opcode: 0x8, payload: Buffer.alloc(0) }));
    expect(await leaveReasonOf(name)).to.equal('quit');
    await peer.ended;
    const client = await joinedClient(ws(joinPath(room, 'Polite')), 'Polite');
    client.socket.close(); // no code: 1005 on the server's side
    expect(await leaveReasonOf('Polite')).to.equal('quit');
  });

  for (const [label, bytes, closeCode] of [
    [
      'an unmasked frame',
      () => frameBytes({ opcode: 0x1, payload: Buffer.from('hi'), masked: false }),
      1002,
    ],
    [
      'a frame with RSV1 set',
      () => rsv1(frameBytes({ opcode: 0x1, payload: Buffer.from('hi') })),
      1002,
    ],
    ['a frame claiming 2^62 bytes', () => hugeLengthHeader(), 1009],
    ['a flood of fragments past the message limit', () => fragmentFlood(), 1009],
    [
      'a control frame over 125 bytes',
      () => frameBytes({ opcode: 0x9, payload: Buffer.alloc(200) }),
      1002,
    ],
    [
      'text that is not UTF-8',
      () => frameBytes({ opcode: 0x1, payload: Buffer.from([0xc3, 0x28]) }),
      1007,
    ],
    ['an unknown opcode', () => frameBytes({ opcode: 0x3, payload: Buffer.from('x') }), 1002],
  ] as const) {
    it(`closes on ${label} with ${closeCode}: the room sees protocol_error, nothing else is hurt`, async () => {
      const { peer, name } = await intruder();
      peer.sendRaw(bytes());
      expect(await leaveReasonOf(name)).to.equal('protocol_error');
      await peer.ended;
      expect(peer.closeFrame?.code).to.equal(closeCode);
      await expectAlive();
    });
  }
});

function rsv1(frame: Buffer): Buffer {
  frame[0] = (frame[0] ?? 0) | 0x40;
  return frame;
}

// A text frame header whose 64-bit length says 2^62 bytes follow; none do.
function hugeLengthHeader(): Buffer {
  const header = Buffer.from([0x81, 0x80 | 127, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
  header.writeBigUInt64BE(2n ** 62n, 2);
  return header;
}

// Fragments of 1 KiB, none final, until well past --max-message-bytes.
function fragmentFlood(): Buffer {
  const piece = Buffer.alloc(1024, 0x61);
  const frames = [frameBytes({ fin: false, opcode: 0x1, payload: piece })];
  for (let i = 0; i < 16; i++) frames.push(frameBytes({ fin: false, opcode: 0x0, payload: piece }));
  return Buffer.concat(frames);
}
