import { expect } from 'chai';
import { startParley } from '../../cmd/server/compose.js';
import { DEFAULT_CONFIG, type ParleyConfig } from '../../platform/config/parley-config.js';
import { capturedLogger, type LogRecord } from '../support/captured-logger.js';
import { startChildServer } from '../support/child-server.js';
import { createRoom } from '../support/rooms.js';
import { joinPath } from '../support/test-server.js';
import { joinedClient } from '../support/ws-client.js';

/** A server in this process whose logs (at debug) are kept for assertions. */
async function loggedServer(overrides: Partial<ParleyConfig> = {}) {
  const { logger, records } = capturedLogger();
  const config = { ...DEFAULT_CONFIG, port: 0, tcpPort: 0, storage: 'memory' as const };
  const parley = await startParley({ ...config, ...overrides }, logger);
  const ws = (path: string) => parley.url.replace(/^http/, 'ws') + path;
  return { parley, records, ws };
}

const about = (records: LogRecord[], msg: string) => records.filter((r) => r.msg === msg);

describe('Logs', () => {
  it('every line about a connection carries its transport and connection number', async () => {
    const { parley, records, ws } = await loggedServer();
    try {
      const id = await createRoom(parley.url, 'Lobby');
      const ann = await joinedClient(ws(joinPath(id, 'Ann')), 'Ann');
      const bob = await joinedClient(ws(joinPath(id, 'Bob')), 'Bob');
      await ann.close();
      await bob.close();
      await parley.shutdown();
      const joined = about(records, 'joined');
      const closed = about(records, 'connection closed');
      expect(joined).to.have.length(2);
      expect(closed).to.have.length(2);
      const [annJoin, bobJoin] = joined;
      expect(annJoin).to.include({ transport: 'websocket', participant: 'Ann' });
      expect(annJoin?.connection).to.be.a('number').and.not.equal(bobJoin?.connection);
      const closedConnections = closed.map((r) => r.connection).sort();
      expect(closedConnections).to.deep.equal([annJoin?.connection, bobJoin?.connection].sort());
    } finally {
      await parley.shutdown();
    }
  });

  it('holds no message text unless --log-messages', async () => {
    for (const logMessages of [false, true]) {
      const { parley, records, ws } = await loggedServer({ logMessages });
      try {
        const id = await createRoom(parley.url, 'Lobby');
        const ann = await joinedClient(ws(joinPath(id, 'Ann')), 'Ann');
        ann.send('the secret plan');
        await ann.waitForType('message');
        await ann.close();
      } finally {
        await parley.shutdown();
      }
      const mentions = records.filter((r) => JSON.stringify(r).includes('the secret plan'));
      if (logMessages) {
        expect(mentions).to.have.length(1);
        expect(mentions[0]).to.include({ msg: 'message', participant: 'Ann', seq: 1 });
      } else expect(mentions).to.deep.equal([]);
    }
  });

  it('--log-format pretty writes one readable line each; json (what auto gives a pipe) JSON lines', async () => {
    for (const [format, readable] of [
      ['pretty', true],
      ['auto', false],
      ['json', false],
    ] as const) {
      const server = await startChildServer(['--storage', 'memory', '--log-format', format]);
      server.process.kill('SIGTERM');
      await server.exited;
      const lines = server.stderr().trim().split('\n');
      const started = lines.find((line) => line.includes('started'));
      expect(started, `${format}: ${server.stderr()}`).to.be.a('string');
      if (readable) {
        expect(started).to.match(/^\[[\d:.]+\] INFO/);
        expect(() => JSON.parse(started ?? '') as unknown).to.throw();
      } else expect(JSON.parse(started ?? '')).to.include({ msg: 'started' });
    }
  });
});
