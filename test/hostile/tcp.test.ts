import { expect } from 'chai';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../support/eventually.js';
import { shareAcrossTests, startChildServer, type ChildServer } from '../support/child-server.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { createRoom } from '../support/rooms.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient, type TestClient } from '../support/ws-client.js';

const MAX_LINE_BYTES = 65_536;

/** Hostile and odd byte streams on the TCP line port, against a real server process. */
describe('Hostile TCP line clients (real process)', function () {
  this.timeout(20_000);
  let server: ChildServer;
  let dir: { path: string; remove(): Promise<void> };
  let tcpPort: number;
  let observer: TestClient;

  before(async () => {
    dir = await makeTempDir();
    tcpPort = await freeTcpPort();
    server = shareAcrossTests(
      await startChildServer([
        ...['--data-dir', dir.path, '--tcp-port', String(tcpPort)],
        ...['--max-message-bytes', String(MAX_LINE_BYTES), '--send-buffer-limit', '65536'],
        ...['--audit-log', join(dir.path, 'audit.jsonl')],
      ]),
    );
    const room = await createRoom(server.url, 'Wire');
    observer = await joinedClient(
      server.url.replace(/^http/, 'ws') + joinPath(room, 'Observer'),
      'Observer',
    );
  });

  after(async () => {
    await observer.close();
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    await dir.remove();
  });

  const textsSeen = (): unknown[] => observer.ofType('message').map((event) => event.text);

  it('stops reading a client that floods the nickname prompt and never reads the answers', async () => {
    const before = residentMegabytes(server);
    const client = await LineClient.connect(tcpPort);
    await client.waitFor(/^Your nickname\?/);
    client.socket.pause(); // reads nothing more
    // 32 Mi blank lines, each answered with an error and the question again (60 bytes): 2 GB
    // of answers if the server read them all.
    const blanks = Buffer.alloc(64 * 1024, '\n');
    for (let i = 0; i < 512; i++) client.socket.write(blanks);
    let unsent = -1;
    await eventually(
      'the server to stop reading the client',
      async () => {
        const settled = client.socket.writableLength === unsent;
        unsent = client.socket.writableLength;
        await sleep(500);
        return settled;
      },
      10_000,
    );
    expect(unsent, 'most of the flood is still unsent').to.be.greaterThan(16 << 20);
    expect(residentMegabytes(server) - before, 'megabytes the server grew').to.be.lessThan(64);
    const ping = await fetch(`${server.url}/ping`);
    expect(await ping.text()).to.equal('pong');
    client.close();
  });

  it('stops reading a client that asks /rooms over and over at the room prompt and never reads', async function () {
    this.timeout(30_000);
    const port = await freeTcpPort();
    const lists = await startChildServer(['--storage', 'memory', '--tcp-port', String(port)]);
    try {
      const name = 'R'.repeat(90);
      for (let i = 0; i < 1000; i += 50) {
        const batch = Array.from(
          { length: 50 },
          (_, j) => `${lists.url}/chat?name=${name}${i + j}`,
        );
        await Promise.all(batch.map((url) => fetch(url, { method: 'POST' })));
      }
      const before = residentMegabytes(lists);
      const client = await LineClient.connect(port);
      await client.waitFor(/^Your nickname\?/);
      client.send('Lister');
      await client.waitFor(/Which room\?/);
      client.socket.pause();
      client.socket.write('/rooms\n'.repeat(20_000)); // a listing of every room: 140 KB each
      await sleep(3000);
      expect(residentMegabytes(lists) - before, 'megabytes the server grew').to.be.lessThan(64);
      expect(await (await fetch(`${lists.url}/ping`)).text()).to.equal('pong');
      client.close();
    } finally {
      lists.process.kill('SIGKILL');
      await lists.exited;
    }
  });

  it('takes a line of exactly --max-message-bytes that ends CR CR LF (the CRs are not counted)', async () => {
    const client = await LineClient.machat(tcpPort, 'Long', 'Wire');
    const text = 'a'.repeat(MAX_LINE_BYTES);
    client.socket.write(`${text}\r\r\n`);
    await observer.waitFor((e) => e.event_type === 'message' && e.participant === 'Long');
    expect(textsSeen().at(-1)).to.equal(text);
    expect(client.lines.filter((line) => line.startsWith('! error'))).to.deep.equal([]);
    await client.finish();
  });

  it('never lets bytes that look like telnet negotiation swallow a line end (Latin-1 text from nc)', async () => {
    const client = await LineClient.machat(tcpPort, 'Latin', 'Wire');
    // "hello" then IAC DONT (0xFF 0xFE, Latin-1 "ÿþ") right before the LF; "ÿa" on the next line.
    client.socket.write(Buffer.from([...Buffer.from('hello'), 0xff, 0xfe, 0x0a]));
    client.socket.write(Buffer.from([...Buffer.from('world '), 0xff, 0x61, 0x0a]));
    await observer.waitFor((e) => e.event_type === 'message' && String(e.text).startsWith('world'));
    const fromLatin = observer
      .ofType('message')
      .filter((event) => event.participant === 'Latin')
      .map((event) => event.text);
    expect(fromLatin).to.deep.equal(['hello', 'world \uFFFDa']);
    await client.finish();
  });
});

/** The child's resident memory, from /proc (Linux). */
function residentMegabytes(server: ChildServer): number {
  const status = readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}
