import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { startParley, type RunningParley } from '../../cmd/server/compose.js';
import { DEFAULT_CONFIG } from '../../platform/config/parley-config.js';
import { silentLogger } from '../../platform/logging/logger.js';
import { ChatProcess, killLeftoverChats } from '../support/chat-process.js';
import { freeTcpPort } from '../support/line-client.js';
import { createRoom } from '../support/rooms.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, index) => `m${from + index}`);

describe('parley-chat across a server restart (same port, same data directory)', function () {
  this.timeout(20_000);
  let dir: { path: string; remove(): Promise<void> };
  let parley: RunningParley | undefined;
  let port = 0;
  let tcpPort = 0;

  async function start(): Promise<RunningParley> {
    parley = await startParley(
      {
        ...DEFAULT_CONFIG,
        port,
        tcpPort,
        dataDir: dir.path,
        shutdownTimeoutMs: 2000,
        rateLimit: 0,
        maxConnectionsPerIp: 0,
        roomCreationRate: 0,
      },
      silentLogger(),
    );
    port = Number(new URL(parley.url).port);
    return parley;
  }

  /** A writer joins over WebSocket, says each text, and leaves once all are stored. */
  async function say(roomId: string, texts: readonly string[]): Promise<void> {
    const url = parley!.url.replace(/^http/, 'ws') + joinPath(roomId, 'Writer') + '&history=0';
    const writer = await joinedClient(url, 'Writer');
    for (const text of texts) writer.send(text);
    await writer.waitFor((e) => e.event_type === 'message' && e.text === texts.at(-1));
    await writer.close();
  }

  /** Stops the server, leaves it down long enough for a few failed attempts, starts it again. */
  async function restart(): Promise<void> {
    await parley!.shutdown();
    await sleep(700);
    await start();
  }

  beforeEach(async () => {
    dir = await makeTempDir();
    port = 0;
    tcpPort = await freeTcpPort();
    await start();
  });

  afterEach(async () => {
    killLeftoverChats();
    await parley?.shutdown();
    parley = undefined;
    await dir.remove();
  });

  it('WebSocket: shows the reconnecting state and carries on with no duplicate and no gap', async () => {
    const roomId = await createRoom(parley!.url, 'Restart');
    await say(roomId, range(1, 3));
    const reader = ChatProcess.start(['--url', parley!.url, '--room', roomId, '--name', 'Reader']);
    await reader.waitFor(/<Writer> m3$/m);
    await reader.waitFor(/-- connected/);

    await restart();
    await say(roomId, range(4, 40)); // more than the 15 replayed at a join: the gap is filled by seq
    await reader.waitFor(/<Writer> m40$/m, 10_000);
    reader.type('/quit');
    expect(await reader.exitCode()).to.equal(0);

    const shown = reader.lines.filter((line) => line.includes('<Writer> '));
    expect(shown.map((line) => line.replace(/^.*<Writer> /, ''))).to.deep.equal(range(1, 40));
    expect(reader.stdout).to.match(
      /-- disconnected \(.+\); reconnecting in \d+\.\d s \(attempt 1\)/,
    );
    expect(reader.stdout.match(/-- connected \(websocket\)/g)).to.have.length(2);
  });

  it('TCP: reconnects, and the replayed lines it already showed are not shown again', async () => {
    const roomId = await createRoom(parley!.url, 'Restart');
    await say(roomId, range(1, 3));
    const reader = ChatProcess.start([
      '--tcp',
      `127.0.0.1:${tcpPort}`,
      '--room',
      'Restart',
      '--name',
      'Reader',
    ]);
    await reader.waitFor(/^\* Reader joined #Restart$/m);

    await restart();
    await say(roomId, range(4, 10)); // fewer than the 15 replayed at a join
    await reader.waitFor(/^Writer:m10$/m, 10_000);
    reader.type('/quit');
    expect(await reader.exitCode()).to.equal(0);

    const shown = reader.lines.filter((line) => line.startsWith('Writer:'));
    expect(shown.map((line) => line.slice('Writer:'.length))).to.deep.equal(range(1, 10));
    expect(reader.stdout).to.include('*** The server is shutting down. Goodbye.');
    expect(reader.stdout.match(/-- connected \(tcp\)/g)).to.have.length(2);
  });
});
