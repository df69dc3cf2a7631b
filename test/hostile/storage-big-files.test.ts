import { expect } from 'chai';
import { appendFile, mkdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { appendRooms, bigText, writeBigRoomFile } from '../support/big-files.js';
import { bytesReadBy } from '../support/bytes-read.js';
import { startChildServer } from '../support/child-server.js';
import { eventually } from '../support/eventually.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

const ws = (url: string, path: string) => url.replace(/^http/, 'ws') + path;
const MiB = 1 << 20;
const ROOM = '2SzErhA2PvYGjf4PQ4pvTh9BfE0';
const SENT_AT = '2026-11-22T10:00:00.000Z';

interface Page {
  messages: { seq: number; text: string }[];
}

describe('Data files past 512 MiB (real process)', () => {
  let dir: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(() => dir.remove());

  it('serves a 545 MB room: join, the oldest page read by position, compaction back under the bound', async function () {
    this.timeout(60_000);
    const count = 8300; // messages of 64 KiB: inside the default retention, past 512 MiB
    const textBytes = 64 * 1024;
    const retention = 1000; // compaction is due at 2 × 1,000 + 16 lines
    const room = { id: ROOM, name: 'Big', created_at: SENT_AT };
    await writeFile(join(dir.path, 'rooms.jsonl'), `${JSON.stringify(room)}\n`);
    await mkdir(join(dir.path, 'messages'));
    const file = join(dir.path, 'messages', `${ROOM}.jsonl`);
    await writeBigRoomFile(file, count, textBytes);
    expect((await stat(file)).size).to.be.above(512 * MiB);

    const server = await startChildServer(['--data-dir', dir.path, '--retention', `${retention}`]);
    const ann = await joinedClient(ws(server.url, joinPath(ROOM, 'Ann')), 'Ann');
    expect(ann.ofType('message').map((e) => e.seq)).to.deep.equal(
      Array.from({ length: 15 }, (_, i) => count - 14 + i),
    );

    const pid = server.process.pid ?? 0;
    const before = bytesReadBy(pid);
    const oldest = await request(server.url)
      .get(`/chat/${ROOM}/messages?before=2&limit=1`)
      .expect(200);
    expect(bytesReadBy(pid) - before, 'bytes the server read for the page').to.be.below(MiB);
    expect((oldest.body as Page).messages.map((m) => [m.seq, m.text])).to.deep.equal([
      [1, bigText(1, textBytes)],
    ]);

    ann.send('after'); // the first append compacts the file down to the last 1,000 messages
    expect(await ann.waitFor((e) => e.text === 'after')).to.include({ seq: count + 1 });
    const bound = (2 * retention + 16) * (textBytes + 200);
    await eventually('compaction', async () => (await stat(file)).size < bound, 30_000);
    const first = count + 2 - retention;
    const page = await request(server.url)
      .get(`/chat/${ROOM}/messages?after=0&limit=1`)
      .expect(200);
    expect((page.body as Page).messages.map((m) => [m.seq, m.text])).to.deep.equal([
      [first, bigText(first, textBytes)],
    ]);
    await ann.close();
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
  });

  it('starts with a 560 MB rooms file (a crash left 560 MB of zero bytes in it) and keeps every room', async function () {
    this.timeout(30_000);
    const path = join(dir.path, 'rooms.jsonl');
    const before = await appendRooms(path, 0, 100_000, 'Room ');
    await truncate(path, (await stat(path)).size + 560_000_000); // a hole: reads as zero bytes
    await appendFile(path, '\n');
    const after = await appendRooms(path, before, (await stat(path)).size + 100_000, 'Room ');
    expect((await stat(path)).size).to.be.above(512 * MiB);

    const server = await startChildServer(['--data-dir', dir.path], {}, {}, 20_000);
    const rooms: { id: string }[] = [];
    for (let next: string | undefined = '/chat?limit=1000'; next !== undefined;) {
      const page: request.Response = await request(server.url).get(next).expect(200);
      rooms.push(...(page.body as { id: string }[]));
      next = /^<([^>]+)>; rel="next"$/.exec(String(page.headers.link))?.[1];
    }
    expect(rooms.map((room) => room.id)).to.deep.equal(
      Array.from({ length: after }, (_, i) => `r${i}`),
    );
    const bob = await joinedClient(ws(server.url, `/Room%20${after - 1}/Bob`), 'Bob');
    expect(bob.ofType('participant_joined')[0]).to.include({ participant: 'Bob' });
    await bob.close();
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    const skipped = server
      .stderr()
      .split('\n')
      .filter((line) => line.includes('"level":40'))
      .map((line) => JSON.parse(line) as { path?: string; line?: number; reason?: string });
    expect(skipped).to.have.length(1);
    expect(skipped[0]).to.include({
      path,
      line: before + 1,
      reason: `longer than ${64 * MiB} bytes`,
    });
  });
});
