import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { eventually } from '../support/eventually.js';
import { startChildServer, type ChildServer } from '../support/child-server.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import type { TestClient } from '../support/ws-client.js';
import { joinedClient } from '../support/ws-client.js';

/** An upgrade attempt's outcome: 101 when accepted (then closed), else the HTTP status. */
function tryUpgrade(url: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    socket.on('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('error', () => resolve(0));
  });
}

describe('Memory pressure (real process with a small heap)', () => {
  it('sheds clients instead of dying, keeps answering /ping, refuses newcomers, and recovers', async function () {
    this.timeout(60_000);
    const dir = await makeTempDir();
    const server = await startChildServer(
      [
        ...['--data-dir', dir.path, '--max-memory', '48', '--send-buffer-limit', String(256 << 20)],
        // never rotated: the flood's messages fill the default 10 MiB in a second
        ...['--audit-log', join(dir.path, 'audit.jsonl'), '--audit-log-max-bytes', '0'],
        ...['--ping-interval', '2', '--pong-timeout', '1.5', '--max-message-bytes', String(65536)],
      ],
      { NODE_OPTIONS: '--max-old-space-size=64' },
    );
    const clients: TestClient[] = [];
    try {
      await floodAndRecover(server, clients, join(dir.path, 'audit.jsonl'));
    } finally {
      for (const client of clients) client.socket.terminate();
      if (server.process.exitCode === null) server.process.kill('SIGKILL');
      await dir.remove();
    }
  });
});

async function floodAndRecover(
  server: ChildServer,
  clients: TestClient[],
  auditLog: string,
): Promise<void> {
  const ws = (path: string) => server.url.replace(/^http/, 'ws') + path;
  const room = (
    (await request(server.url).post('/chat?name=Flood').expect(201)).body as {
      id: string;
    }
  ).id;

  // Quiet clients in a calm room: the most idle clients, but they hold nothing (no flood reaches
  // them), so not the first shed.
  const calm = (
    (await request(server.url).post('/chat?name=Calm').expect(201)).body as { id: string }
  ).id;
  for (let i = 0; i < 10; i++)
    clients.push(await joinedClient(ws(joinPath(calm, `q${i}`)), `q${i}`));
  // Flooders: send big messages and never read, so every frame stays queued for them.
  const flooders: TestClient[] = [];
  for (let i = 0; i < 30; i++) {
    const client = await joinedClient(ws(joinPath(room, `f${i}`)), `f${i}`);
    (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    flooders.push(client);
    clients.push(client);
  }
  const big = 'x'.repeat(60_000);
  const floodStart = Date.now();
  const flood = (async () => {
    for (let round = 0; round < 60; round++) {
      for (const client of flooders)
        if (client.socket.readyState === WebSocket.OPEN) client.send(`${round} ${big}`);
      await sleep(20);
    }
  })();

  let refusedWhileOverloaded = false;
  let pingsAnswered = 0;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !refusedWhileOverloaded) {
    if ((await tryUpgrade(ws(joinPath(room, 'late')))) === 503) refusedWhileOverloaded = true;
    if ((await request(server.url).get('/ping')).status === 200) pingsAnswered++;
    await sleep(50);
  }
  await flood;
  expect(refusedWhileOverloaded, 'an upgrade was refused with 503 while overloaded').to.equal(true);
  expect(pingsAnswered).to.be.greaterThan(0);
  // The flooders hold the memory (what they sent and what is queued for them), so once the flood
  // is on they go first, though the quiet clients are more idle: no quiet client is shed while
  // a flooder holding memory is left. The audit log records each client shown `overloaded`, in
  // the order the guard shed them. (A slow machine may shed a quiet client before the flood, while 40 clients
  // join a 64 MiB heap: that one holds nothing and is not counted.) How many are shed depends on
  // how fast this machine drained the flood, so not all of them need be.
  const shedNames = async (): Promise<string[]> =>
    (await readFile(auditLog, 'utf8').catch(() => ''))
      .split('\n')
      .filter((line) => line.includes('"event":"error"') && line.includes('"overloaded"'))
      .map((line) => JSON.parse(line) as { participant?: string; at: string })
      .filter((entry) => Date.parse(entry.at) >= floodStart)
      .map((entry) => entry.participant ?? '');
  await eventually('clients shed for memory', async () => (await shedNames()).length > 0, 15_000);
  const shed = await shedNames();
  const firstQuiet = shed.findIndex((name) => name.startsWith('q'));
  const flooderAfterQuiet =
    firstQuiet >= 0 && shed.slice(firstQuiet).some((name) => name.startsWith('f'));
  expect(shed[0], `the first shed in the flood holds memory; shed: ${shed.join(' ')}`).to.match(
    /^f/,
  );
  expect(flooderAfterQuiet, `shed in order: ${shed.join(' ')}`).to.equal(false);

  // The flood is over: its clients go away, and the server takes clients again.
  for (const client of flooders) client.socket.terminate();
  let newcomer: TestClient | undefined;
  for (let attempt = 0; attempt < 100 && newcomer === undefined; attempt++) {
    if ((await tryUpgrade(ws('/'))) === 101)
      newcomer = await joinedClient(ws(joinPath(room, 'newcomer')), 'newcomer');
    else await sleep(200);
  }
  expect(
    newcomer,
    `a client joined after the flood; server said:\n${tail(server.stderr())}`,
  ).to.not.equal(undefined);
  await newcomer?.close();
  expect(server.stderr()).to.contain('clients shed for memory');

  server.process.kill('SIGTERM');
  expect(await server.exited).to.equal(0);
}

/** The server's last log lines, to show why a step failed. */
function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
