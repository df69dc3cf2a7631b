import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChildServer } from '../support/child-server.js';
import { rawHttp } from '../support/raw-http.js';
import { createRoom } from '../support/rooms.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath, startTestServer } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

const PING = 'GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

describe('Running out of file descriptors (real process under prlimit --nofile)', () => {
  it('refuses new connections and logs it once, while everyone connected keeps talking', async function () {
    this.timeout(30_000);
    const dir = await makeTempDir();
    const server = await startChildServer(['--data-dir', dir.path], {}, { openFiles: 300 });
    const idle: Socket[] = [];
    try {
      const room = await createRoom(server.url, 'Crowded');
      const ws = server.url.replace(/^http/, 'ws') + joinPath(room, 'Ann');
      const ann = await joinedClient(ws, 'Ann');
      ann.send('before the crowd');
      await ann.waitFor((e) => e.event_type === 'message' && e.text === 'before the crowd');

      // 400 idle connections: more than the process can hold descriptors for.
      for (let i = 0; i < 400; i++) {
        const socket = connect(server.port, '127.0.0.1');
        socket.on('error', () => undefined);
        idle.push(socket);
      }
      await sleep(1500);
      const refused = await rawHttp(server.port, PING);
      expect([0, 503], `a newcomer is refused: ${refused.body}`).to.include(refused.status);
      expect(server.process.exitCode, server.stderr()).to.equal(null);

      ann.send('during the crowd');
      await ann.waitFor((e) => e.event_type === 'message' && e.text === 'during the crowd');

      for (const socket of idle) socket.destroy();
      await sleep(500);
      expect((await rawHttp(server.port, PING)).body).to.equal('pong');
      const warnings = server.stderr().match(/out of file descriptors/g) ?? [];
      expect(warnings.length, 'logged, once per interval').to.be.within(1, 2);
      expect(server.stderr()).not.to.contain('uncaught exception');
      server.process.kill('SIGTERM');
      expect(await server.exited).to.equal(0);
    } finally {
      for (const socket of idle) socket.destroy();
      if (server.process.exitCode === null) server.process.kill('SIGKILL');
      await dir.remove();
    }
  });

  it('counts plain HTTP connections against --connections like WebSocket and TCP clients', async () => {
    const server = await startTestServer({ maxConnections: 3 });
    const idle: Socket[] = [];
    try {
      const port = server.parley.port;
      for (let i = 0; i < 3; i++) {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        idle.push(socket);
      }
      await sleep(100);
      const refused = await rawHttp(port, PING);
      expect(refused.status).to.equal(503);
      expect(JSON.parse(refused.body)).to.deep.equal({
        error: { code: 'server_full', message: 'this server takes at most 3 connections' },
      });
      idle.pop()?.destroy();
      await sleep(100);
      expect((await rawHttp(port, PING)).body).to.equal('pong');
    } finally {
      for (const socket of idle) socket.destroy();
      await server.stop();
    }
  });
});
