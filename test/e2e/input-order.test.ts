import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParleyConfig } from '../../platform/config/parley-config.js';
import { eventually } from '../support/eventually.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { createRoom } from '../support/rooms.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath, startTestServer, type TestServer } from '../support/test-server.js';
import { joinedClient, TestClient, type ServerEvent } from '../support/ws-client.js';

/**
 * One client's inputs take effect, and are answered, in the order it sent them — messages,
 * commands, their answers and errors interleaved — on every transport and storage.
 */
for (const storage of ['file', 'memory'] as const) {
  describe(`Input order, with ${storage} storage`, () => {
    let server: TestServer;
    let room: string;
    let tcpPort: number;

    beforeEach(async () => {
      tcpPort = await freeTcpPort();
      const config: Partial<ParleyConfig> = { storage, tcpPort, historyOnJoin: 0 };
      server = await startTestServer({ ...config, auditLog: '' });
      room = await createRoom(server.url, 'Order');
    });

    afterEach(() => server.stop());

    /** What Bob sees of Ann, in order: messages, private messages and renames. */
    function seenFromAnn(bob: TestClient): string[] {
      return bob.events.flatMap((event: ServerEvent) => {
        if (event.event_type === 'message') return [`say:${String(event.text)}`];
        if (event.event_type === 'private_message') return [`msg:${String(event.text)}`];
        if (event.event_type === 'participant_renamed') return [`nick:${String(event.to)}`];
        return [];
      });
    }

    it('WebSocket: messages, private messages and a rename reach the room in the order sent', async () => {
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      const expected: string[] = [];
      for (let i = 0; i < 20; i++) {
        ann.send(`hello${i}`);
        ann.send(`/msg @Bob psst${i}`);
        expected.push(`say:hello${i}`, `msg:psst${i}`);
      }
      ann.send('/nick Anna');
      ann.send('after the rename');
      expected.push('nick:Anna', 'say:after the rename');
      await bob.waitFor((e) => e.text === 'after the rename');
      expect(seenFromAnn(bob)).to.deep.equal(expected);
      const last = bob.ofType('message').at(-1);
      expect(last?.participant, 'written under the new name').to.equal('Anna');
      await Promise.all([ann.close(), bob.close()]);
    });

    it('WebSocket: answers and errors come back in the order asked, with the messages between them', async () => {
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      for (const line of ['one', '/list', 'two', '/bogus', '   ', '/history 2', 'three'])
        ann.send(line);
      await ann.waitFor((e) => e.event_type === 'message' && e.text === 'three');
      const trace = ann.events
        .filter((e) => e.event_type !== 'participant_joined')
        .map((e) => (e.event_type === 'message' ? `say:${String(e.text)}` : e.event_type));
      expect(trace).to.deep.equal([
        'say:one',
        'participants',
        'say:two',
        'error',
        'error',
        'history',
        'say:three',
      ]);
      await ann.close();
    });

    it('WebSocket: /quit sent on open with commands before it answers them all, then says goodbye', async () => {
      const ann = await TestClient.connect(server.ws(joinPath(room, 'Ann')));
      for (const line of ['/list', '/rooms', '/history 1', 'bye all', '/quit lunch'])
        ann.send(line);
      const close = await ann.closed;
      expect(close.code).to.equal(1000);
      const answers = ann.events
        .map((e) => e.event_type)
        .filter((type) => type !== 'participant_joined');
      expect(answers).to.deep.equal(['participants', 'rooms', 'history', 'message', 'goodbye']);
    });

    it('TCP: a MaChat script piped to nc is answered line by line, in order, before the goodbye', async () => {
      const client = await LineClient.connect(tcpPort);
      client.socket.end('{"name":"Q","room":"QuitTest"}\nhello\n/list\n/quit\n');
      await client.ended;
      expect(client.lines).to.deep.equal([
        '* Q joined #QuitTest',
        'Q:hello',
        '* In #QuitTest (1): Q',
        '* Good Bye, come back again.',
      ]);
    });

    it('TCP: a telnet user’s messages and private messages reach others in the order typed', async () => {
      const bob = await joinedClient(server.ws(joinPath(room, 'Bob')), 'Bob');
      const ann = await LineClient.telnet(tcpPort, 'Ann', room);
      const expected: string[] = [];
      const lines: string[] = [];
      for (let i = 0; i < 10; i++) {
        lines.push(`hello${i}`, `/msg @Bob psst${i}`);
        expected.push(`say:hello${i}`, `msg:psst${i}`);
      }
      ann.socket.write(lines.map((line) => `${line}\r\n`).join(''));
      await bob.waitFor((e) => e.event_type === 'private_message' && e.text === 'psst9');
      expect(seenFromAnn(bob)).to.deep.equal(expected);
      await bob.close();
      await ann.finish();
    });
  });
}

describe('Input order in the audit log', () => {
  it('records a message before the command sent just after it', async () => {
    const dir = await makeTempDir();
    const path = join(dir.path, 'audit.jsonl');
    const server = await startTestServer({ storage: 'file', auditLog: path });
    try {
      const room = await createRoom(server.url, 'Audited');
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      for (let i = 0; i < 5; i++) {
        ann.send(`line${i}`);
        ann.send('/list');
      }
      await ann.waitForCount('participants', 5);
      await ann.close();
      let events: string[] = [];
      await eventually('the audit entries', async () => {
        const text = await readFile(path, 'utf8').catch(() => '');
        events = text
          .split('\n')
          .filter(
            (line) =>
              line.includes('"participant":"Ann"') && /"event":"(message|command)"/.test(line),
          )
          .map((line) => (JSON.parse(line) as { event: string }).event);
        return events.length === 10;
      });
      expect(events).to.deep.equal(Array.from({ length: 5 }, () => ['message', 'command']).flat());
    } finally {
      await server.stop();
      await dir.remove();
    }
  });
});
