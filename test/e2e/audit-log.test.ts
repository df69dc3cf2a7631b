import { expect } from 'chai';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startParley } from '../../cmd/server/compose.js';
import { DEFAULT_CONFIG } from '../../platform/config/parley-config.js';
import { silentLogger } from '../../platform/logging/logger.js';
import { createRoom } from '../support/rooms.js';
import { freeTcpPort, LineClient } from '../support/line-client.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinPath, startTestServer } from '../support/test-server.js';
import { PantzClient } from '../support/pantz-client.js';
import { joinedClient } from '../support/ws-client.js';

type Entry = Record<string, unknown> & { at: string; event: string };

describe('Audit log (--audit-log)', () => {
  it('records connections (transport, address), public and private messages, commands and errors from every transport', async () => {
    const dir = await makeTempDir();
    const auditLog = join(dir.path, 'audit.jsonl');
    const server = await startTestServer({
      storage: 'memory',
      tcpPort: await freeTcpPort(),
      auditLog,
    });
    try {
      const room = await createRoom(server.url, 'Lobby');
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      const john = await LineClient.telnet(server.parley.tcpPort ?? 0, 'John', 'Lobby');
      ann.send('hello all');
      john.send('/msg @Ann secret');
      await ann.waitForType('private_message');
      john.send('/list');
      await john.waitFor(/^\* In #Lobby/);
      ann.send('/frobnicate');
      await ann.waitForType('error');
      const cy = await PantzClient.connect(server.ws('/v1.0/chat'));
      await cy.ask('{"reqType":101,"content":"Cy"}');
      await cy.ask('{"roomName":"Lobby","reqType":104}');
      await cy.ask('{"roomName":"Lobby","reqType":108,"content":"/not a command"}');
      await cy.close();
      john.send('/quit');
      await john.ended;
      await ann.close();
    } finally {
      await server.stop();
    }
    const entries = (await readFile(auditLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Entry);
    await dir.remove();
    for (const entry of entries) expect(Date.parse(entry.at)).to.be.a('number').and.not.NaN;
    const find = (event: string, fields: Record<string, unknown>): Entry | undefined =>
      entries.find(
        (e) => e.event === event && Object.entries(fields).every(([k, v]) => e[k] === v),
      );
    for (const transport of ['websocket', 'tcp']) {
      expect(find('connection_opened', { transport, address: '127.0.0.1' }), transport).to.exist;
    }
    expect(find('message', { participant: 'Ann', text: 'hello all' })).to.have.property('id');
    expect(find('message', { participant: 'Cy', text: '/not a command' })).to.have.property('id');
    expect(find('private_message', { from: 'John', to: 'Ann', text: 'secret' })).to.exist;
    expect(find('command', { participant: 'John', command: 'list', line: '/list' })).to.exist;
    expect(find('error', { participant: 'Ann', code: 'unknown_command' })).to.exist;
    expect(find('connection_closed', { transport: 'tcp', participant: 'John', reason: 'quit' })).to
      .exist;
    expect(find('connection_closed', { transport: 'websocket', participant: 'Ann' })).to.exist;
  });

  it('rotates by size, keeping a bounded number of files', async () => {
    const dir = await makeTempDir();
    const auditLog = join(dir.path, 'audit.jsonl');
    const server = await startTestServer({
      storage: 'memory',
      auditLog,
      auditLogMaxBytes: 2000,
      auditLogFiles: 2,
    });
    try {
      const room = await createRoom(server.url, 'Lobby');
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      for (let i = 0; i < 60; i++) {
        ann.send(`message number ${i} ${'x'.repeat(100)}`);
        await ann.waitFor(
          (e) => typeof e.text === 'string' && e.text.startsWith(`message number ${i} `),
        );
      }
      await ann.close();
    } finally {
      await server.stop();
    }
    for (const file of [auditLog, `${auditLog}.1`, `${auditLog}.2`]) {
      expect((await stat(file)).size).to.be.at.most(2000);
    }
    await stat(`${auditLog}.3`).then(
      () => expect.fail('a third rotated file was kept'),
      (error: NodeJS.ErrnoException) => expect(error.code).to.equal('ENOENT'),
    );
    expect(await readFile(auditLog, 'utf8')).to.include('message number 59');
    await dir.remove();
  });

  it('a full disk never stops the conversation: writes fail, the server carries on', async () => {
    const server = await startTestServer({ storage: 'memory', auditLog: '/dev/full' });
    try {
      const room = await createRoom(server.url, 'Lobby');
      const ann = await joinedClient(server.ws(joinPath(room, 'Ann')), 'Ann');
      for (let i = 0; i < 50; i++) ann.send(`still talking ${i}`);
      await ann.waitFor((e) => e.text === 'still talking 49');
      await ann.close();
    } finally {
      await server.stop();
    }
    expect((await stat('/dev/full')).isCharacterDevice()).to.equal(true);
  });

  it('refuses to start when the audit file cannot be opened, naming it', async () => {
    const dir = await makeTempDir();
    const auditLog = join(dir.path, 'missing', 'audit.jsonl');
    const config = { ...DEFAULT_CONFIG, port: 0, tcpPort: 0, storage: 'memory' as const, auditLog };
    await startParley(config, silentLogger()).then(
      () => expect.fail('started without its audit log'),
      (error: Error) => expect(error.message).to.include(auditLog),
    );
    await dir.remove();
  });
});
