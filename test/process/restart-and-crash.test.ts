import { expect } from 'chai';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { startChildServer } from '../support/child-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import type { TestClient } from '../support/ws-client.js';
import { joinedClient } from '../support/ws-client.js';

const ws = (url: string, path: string) => url.replace(/^http/, 'ws') + path;

describe('Persistence across restarts (real process)', () => {
  let dir: { path: string; remove(): Promise<void> };

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(() => dir.remove());

  it('keeps rooms and history across a graceful restart, and continues the seq', async function () {
    this.timeout(20_000);
    const first = await startChildServer(['--data-dir', dir.path]);
    const room = (
      (await request(first.url).post('/chat?name=Lobby').expect(201)).body as { id: string }
    ).id;
    const ann = await joinedClient(ws(first.url, joinPath(room, 'Ann')), 'Ann');
    for (const text of ['one', 'two', 'three']) ann.send(text);
    await ann.waitForCount('message', 3);
    first.process.kill('SIGTERM');
    expect(await first.exited).to.equal(0);

    const second = await startChildServer(['--data-dir', dir.path]);
    const rooms = (await request(second.url).get('/chat').expect(200)).body as {
      id: string;
      name: string;
    }[];
    expect(rooms.map((r) => [r.id, r.name])).to.deep.equal([[room, 'Lobby']]);
    const bob = await joinedClient(ws(second.url, joinPath(room, 'Bob')), 'Bob');
    const history = bob.ofType('message');
    expect(history.map((e) => [e.seq, e.text, e.history])).to.deep.equal([
      [1, 'one', true],
      [2, 'two', true],
      [3, 'three', true],
    ]);
    bob.send('four');
    expect(
      await bob.waitFor((e) => e.event_type === 'message' && e.history === undefined),
    ).to.include({ seq: 4 });
    await bob.close();
    second.process.kill('SIGTERM');
    expect(await second.exited).to.equal(0);
  });

  it('after kill -9 during a burst, restarts with every message any client had received', async function () {
    this.timeout(30_000);
    const first = await startChildServer(['--data-dir', dir.path]);
    const room = (
      (await request(first.url).post('/chat?name=Crash').expect(201)).body as { id: string }
    ).id;
    const clients: TestClient[] = [];
    for (const name of ['A', 'B', 'C', 'D', 'E'])
      clients.push(await joinedClient(ws(first.url, joinPath(room, name)), name));
    // 900 messages paced over ~450 ms, so the kill lands mid-burst; the reader below can
    // replay all of them (--history 1000).
    const bursts = clients.map(async (client, i) => {
      for (let n = 0; n < 180 && client.socket.readyState === client.socket.OPEN; n++) {
        client.send(`${i}-${n}`);
        if (n % 10 === 9) await sleep(25);
      }
    });
    await clients[0]?.waitForCount('message', 300, 10_000);
    first.process.kill('SIGKILL');
    expect(await first.exited).to.equal('SIGKILL');
    await Promise.all(clients.map((client) => client.closed));

    const received = new Map<number, string>();
    for (const client of clients)
      for (const e of client.ofType('message')) received.set(Number(e.seq), String(e.text));
    await Promise.all(bursts);
    expect(received.size).to.be.at.least(300);
    expect(received.size, 'the kill landed mid-burst').to.be.lessThan(900);

    const second = await startChildServer(['--data-dir', dir.path, '--history', '1000']);
    const reader = await joinedClient(ws(second.url, joinPath(room, 'Reader')), 'Reader');
    const history = reader.ofType('message');
    const seqs = history.map((e) => Number(e.seq));
    expect(seqs, 'history is gap-free from 1').to.deep.equal(seqs.map((_, i) => i + 1));
    const stored = new Map(history.map((e) => [Number(e.seq), String(e.text)]));
    for (const [seq, text] of received) expect(stored.get(seq), `seq ${seq}`).to.equal(text);
    reader.send('after the crash');
    expect(await reader.waitFor((e) => e.text === 'after the crash')).to.include({
      seq: history.length + 1,
    });
    await reader.close();
    second.process.kill('SIGTERM');
    expect(await second.exited).to.equal(0);
  });

  it('after kill -9 while compacting (--retention 20), keeps the newest 20 of what clients received', async function () {
    this.timeout(30_000);
    const retention = 20;
    const flags = ['--data-dir', dir.path, '--retention', String(retention), '--history', '15'];
    const first = await startChildServer(flags);
    const room = (
      (await request(first.url).post('/chat?name=Compact').expect(201)).body as { id: string }
    ).id;
    const writer = await joinedClient(ws(first.url, joinPath(room, 'W')), 'W');
    // A file is compacted each time it reaches 2 × 20 + 16 lines: every ~36 messages here.
    const burst = (async () => {
      for (let n = 0; n < 2000 && writer.socket.readyState === writer.socket.OPEN; n++) {
        writer.send(`m${n}`);
        if (n % 20 === 19) await sleep(5);
      }
    })();
    await writer.waitForCount('message', 400, 10_000);
    first.process.kill('SIGKILL');
    await first.exited;
    await writer.closed;
    await burst;
    const received = new Map(writer.ofType('message').map((e) => [Number(e.seq), String(e.text)]));
    const newest = Math.max(...received.keys());

    const second = await startChildServer(flags);
    const stored = (
      (await request(second.url).get(`/chat/${room}/messages?limit=1000`).expect(200)).body as {
        messages: { seq: number; text: string }[];
      }
    ).messages;
    const seqs = stored.map((m) => m.seq);
    expect(seqs.length).to.be.at.least(retention);
    expect(seqs, 'contiguous').to.deep.equal(seqs.map((_, i) => (seqs[0] ?? 0) + i));
    expect(seqs.at(-1)).to.be.at.least(newest);
    const byseq = new Map(stored.map((m) => [m.seq, m.text]));
    for (let seq = newest - retention + 1; seq <= newest; seq++)
      expect(byseq.get(seq), `seq ${seq}`).to.equal(received.get(seq));
    const leftovers = (await readdir(join(dir.path, 'messages'))).filter(
      (f) => !f.endsWith('.jsonl'),
    );
    expect(leftovers).to.deep.equal([]);
    second.process.kill('SIGTERM');
    expect(await second.exited).to.equal(0);
  });

  it('starts on a data dir whose files end in a torn line, keeping everything complete', async function () {
    this.timeout(20_000);
    const room = '2SzErhA2PvYGjf4PQ4pvTh9BfE0';
    const line = (seq: number) =>
      `${JSON.stringify({ id: `m${seq}`, seq, participant: 'Ann', text: `t${seq}`, sent_at: '2026-11-22T10:00:00.000Z' })}\n`;
    await writeFile(
      join(dir.path, 'rooms.jsonl'),
      `${JSON.stringify({ id: room, name: 'Torn', created_at: '2026-11-22T10:00:00.000Z' })}\n{"id":"3x`,
    );
    await mkdir(join(dir.path, 'messages'));
    await writeFile(
      join(dir.path, 'messages', `${room}.jsonl`),
      line(1) + line(2) + '{"id":"m3","se',
    );

    const server = await startChildServer(['--data-dir', dir.path]);
    const reader = await joinedClient(ws(server.url, joinPath(room, 'Reader')), 'Reader');
    expect(reader.ofType('message').map((e) => e.text)).to.deep.equal(['t1', 't2']);
    reader.send('t3');
    expect(await reader.waitFor((e) => e.text === 't3')).to.include({ seq: 3 });
    await reader.close();
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    expect(server.stderr()).to.contain('torn last line');
    const aside = (await readdir(join(dir.path, 'messages'))).filter((name) =>
      name.includes('.torn-'),
    );
    expect(aside).to.have.length(1);
  });
});
