import { expect } from 'chai';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { startChildServer } from '../support/child-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

const ws = (url: string, path: string) => url.replace(/^http/, 'ws') + path;
const SENT_AT = '2026-11-22T10:00:00.000Z';
const BOM = '\uFEFF';

const roomLine = (id: string, name: string) =>
  `${JSON.stringify({ id, name, created_at: SENT_AT })}\n`;
const messageLine = (seq: number, text: string) =>
  `${JSON.stringify({ id: `m${seq}`, seq, participant: 'Ann', text, sent_at: SENT_AT })}\n`;

describe('Recovery of hand-edited and damaged files (real process)', () => {
  it('keeps every valid room and message (byte order marks, seqs out of order) and logs each line it skipped', async function () {
    this.timeout(20_000);
    const dir = await makeTempDir();
    const lobby = '2SzErhA2PvYGjf4PQ4pvTh9BfE0';
    await writeFile(
      join(dir.path, 'rooms.jsonl'),
      BOM + roomLine(lobby, 'Lobby') + roomLine('2SzErhA2PvYGjf4PQ4pvTh9BfE1', 'Den'),
    );
    await mkdir(join(dir.path, 'messages'));
    const history = join(dir.path, 'messages', `${lobby}.jsonl`);
    await writeFile(
      history,
      BOM +
        messageLine(1, 'one') +
        messageLine(90, 'ninety') + // a high seq early hides nothing
        messageLine(2, 'two') +
        messageLine(2, 'two again') + // line 4: the same seq again, skipped and reported
        messageLine(3, 'three'),
    );

    const server = await startChildServer(['--data-dir', dir.path]);
    const rooms = (await request(server.url).get('/chat').expect(200)).body as { name: string }[];
    expect(rooms.map((room) => room.name)).to.deep.equal(['Lobby', 'Den']);
    const reader = await joinedClient(ws(server.url, joinPath(lobby, 'Reader')), 'Reader');
    expect(reader.ofType('message').map((e) => [e.seq, e.text])).to.deep.equal([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
      [90, 'ninety'],
    ]);
    reader.send('next');
    expect(await reader.waitFor((e) => e.text === 'next')).to.include({ seq: 91 });
    await reader.close();
    server.process.kill('SIGTERM');
    expect(await server.exited).to.equal(0);
    const warnings = server
      .stderr()
      .split('\n')
      .filter((line) => line.includes('"level":40'))
      .map((line) => JSON.parse(line) as { path?: string; line?: number });
    expect(warnings.map((w) => [w.path, w.line])).to.deep.equal([[history, 4]]);
    await dir.remove();
  });
});
