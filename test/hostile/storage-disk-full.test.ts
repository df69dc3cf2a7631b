import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient, type ServerEvent } from '../support/ws-client.js';

const ws = (url: string, path: string) => url.replace(/^http/, 'ws') + path;
const body = 'x'.repeat(1000);
// Files may not grow past this: room for about fifteen of these messages.
const FILE_SIZE_LIMIT = 20_000;

describe('A full disk (real process, file size limit)', () => {
  it('refuses what it cannot store, keeps every line it could, and goes on after a restart', async function () {
    this.timeout(30_000);
    const dir = await makeTempDir();
    const servers: ChildServer[] = [];
    try {
      const limits = { fileSizeBytes: FILE_SIZE_LIMIT };
      const full = await startChildServer(['--data-dir', dir.path], {}, limits);
      servers.push(full);
      const room = (
        (await request(full.url).post('/chat?name=Lobby').expect(201)).body as { id: string }
      ).id;
      const ann = await joinedClient(ws(full.url, joinPath(room, 'Ann')), 'Ann');
      let refusal: ServerEvent | undefined;
      for (let i = 1; i <= 100 && refusal === undefined; i++) {
        ann.send(`m${i} ${body}`);
        const answer = await ann.waitFor(
          (e) =>
            e.event_type === 'error' ||
            (e.event_type === 'message' && String(e.text).startsWith(`m${i} `)),
        );
        if (answer.event_type === 'error') refusal = answer;
      }
      expect(refusal).to.include({ event_type: 'error', code: 'storage_unavailable' });
      // Refusing leaves the connection open: the next message that does not fit is refused too.
      ann.send(`again ${body}`);
      await ann.waitForCount('error', 2);
      const received = ann.ofType('message').map((e) => [e.seq, String(e.text).split(' ')[0]]);
      expect(received.length, 'some messages fitted').to.be.greaterThan(5);

      // The file holds exactly what Ann was sent: whole lines, nothing of the refused message.
      const file = await readFile(join(dir.path, 'messages', `${room}.jsonl`), 'utf8');
      expect(file.endsWith('\n'), 'the file ends with a whole line').to.equal(true);
      const stored = file
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { seq: number; text: string })
        .map((m) => [m.seq, m.text.split(' ')[0]]);
      expect(stored).to.deep.equal(received);

      await request(full.url).get('/ping').expect(200);
      await ann.close();
      full.process.kill('SIGTERM');
      expect(await full.exited).to.equal(0);
      // Two refusals, one streak: one error line naming the file and the cause.
      const errors = full
        .stderr()
        .split('\n')
        .filter((line) => line.includes('"level":50'))
        .map((line) => JSON.parse(line) as { path?: string; code?: string });
      const history = join(dir.path, 'messages', `${room}.jsonl`);
      expect(errors.map((e) => [e.path, e.code])).to.deep.equal([[history, 'EFBIG']]);

      // Room again (a restart after space was freed): history intact, seq continues.
      const roomy = await startChildServer(['--data-dir', dir.path, '--history', '100']);
      servers.push(roomy);
      const bob = await joinedClient(ws(roomy.url, joinPath(room, 'Bob')), 'Bob');
      expect(bob.ofType('message').map((e) => e.seq)).to.deep.equal(received.map(([seq]) => seq));
      bob.send('after');
      expect(await bob.waitFor((e) => e.event_type === 'message' && e.text === 'after')).to.include(
        { seq: received.length + 1 },
      );
      await bob.close();
      roomy.process.kill('SIGTERM');
      expect(await roomy.exited).to.equal(0);
    } finally {
      for (const server of servers)
        if (server.process.exitCode === null) server.process.kill('SIGKILL');
      await dir.remove();
    }
  });
});
