import { expect } from 'chai';
import { appendFile, mkdir, readdir, readFile, readlink, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Message } from '../../../business/chat/message.js';
import { FileMessageStore } from '../../../platform/storage/file/file-message-store.js';
import { FileRoomRepository } from '../../../platform/storage/file/file-room-repository.js';
import { silentLogger } from '../../../platform/logging/logger.js';
import { capturedLogger, LEVEL } from '../../support/captured-logger.js';
import { eventually } from '../../support/eventually.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { draft } from './message-store.contract.js';
import { fileStoreOptions } from '../../support/file-store-options.js';

const ROOM = '2SzErhA2PvYGjf4PQ4pvTh9BfE0';

function line(seq: number, text: string): string {
  return `${JSON.stringify({ id: `m${seq}`, seq, participant: 'Ann', text, sent_at: '2026-11-22T10:00:00.000Z' })}\n`;
}

describe('FileMessageStore', () => {
  let dir: { path: string; remove(): Promise<void> };
  let file: string;
  const open = () => FileMessageStore.open(fileStoreOptions(dir.path), silentLogger());

  beforeEach(async () => {
    dir = await makeTempDir();
    await mkdir(join(dir.path, 'messages'));
    file = join(dir.path, 'messages', `${ROOM}.jsonl`);
  });

  afterEach(() => dir.remove());

  describe('recovery after a crash', () => {
    it('sets a torn last line aside, keeps every complete message and continues the seq', async () => {
      await writeFile(file, line(1, 'one') + line(2, 'two') + '{"id":"m3","seq":3,"partic');
      const store = await open();
      expect((await store.recent(ROOM, 10)).map((m) => m.text)).to.deep.equal(['one', 'two']);
      expect((await store.append(draft(ROOM, 'three'))).seq).to.equal(3);
      await store.close();
      const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
      expect(lines.map((l) => (JSON.parse(l) as { text: string }).text)).to.deep.equal([
        'one',
        'two',
        'three',
      ]);
      const aside = (await readdir(join(dir.path, 'messages'))).filter((name) =>
        name.includes('.torn-'),
      );
      expect(aside).to.have.length(1);
      expect(await readFile(join(dir.path, 'messages', aside[0] ?? ''), 'utf8')).to.equal(
        '{"id":"m3","seq":3,"partic',
      );
    });

    it('ignores and removes a compaction cut short by a crash, keeping the file it was to replace', async () => {
      await writeFile(file, line(1, 'one') + line(2, 'two'));
      await writeFile(`${file}.rewrite`, line(2, 'tw'));
      const store = await open();
      expect((await store.recent(ROOM, 10)).map((m) => m.text)).to.deep.equal(['one', 'two']);
      expect((await store.append(draft(ROOM, 'three'))).seq).to.equal(3);
      await store.close();
      expect(await readdir(join(dir.path, 'messages'))).to.deep.equal([`${ROOM}.jsonl`]);
    });

    it('keeps a complete last line that only lost its newline', async () => {
      await writeFile(file, line(1, 'one') + line(2, 'two').trimEnd());
      const store = await open();
      expect((await store.append(draft(ROOM, 'three'))).seq).to.equal(3);
      expect((await store.recent(ROOM, 10)).map((m) => m.text)).to.deep.equal([
        'one',
        'two',
        'three',
      ]);
      await store.close();
    });

    it('skips a corrupt line in the middle and keeps the lines after it', async () => {
      await writeFile(
        file,
        line(1, 'one') + 'garbage\u0000\n' + '{"not":"a message"}\n' + line(2, 'two'),
      );
      const store = await open();
      expect((await store.recent(ROOM, 10)).map((m) => m.text)).to.deep.equal(['one', 'two']);
      await store.close();
      expect(await readFile(file, 'utf8')).to.contain('garbage'); // reported, never deleted
    });

    it('keeps every message when a high seq comes early, in seq order, and continues after the highest', async () => {
      const early = line(50, 'fifty');
      await writeFile(file, early + [1, 2, 3, 4, 5, 6].map((seq) => line(seq, `t${seq}`)).join(''));
      const store = await open(); // cache of 4: the oldest are read from the file
      expect((await store.recent(ROOM, 10)).map((m) => m.seq)).to.deep.equal([
        1, 2, 3, 4, 5, 6, 50,
      ]);
      expect((await store.page(ROOM, { before: 4, limit: 2 })).map((m) => m.text)).to.deep.equal([
        't2',
        't3',
      ]);
      expect((await store.append(draft(ROOM, 'next'))).seq).to.equal(51);
      await store.close();
    });

    it('keeps the first of two lines with one seq, and reports what it skipped by path and line', async () => {
      await writeFile(
        file,
        line(1, 'one') + line(2, 'two') + line(2, 'again') + 'garbage\n' + line(3, 'three'),
      );
      const { logger, records } = capturedLogger();
      const store = await FileMessageStore.open(fileStoreOptions(dir.path), logger);
      expect((await store.recent(ROOM, 10)).map((m) => m.text)).to.deep.equal([
        'one',
        'two',
        'three',
      ]);
      await store.close();
      const skipped = records.filter((r) => r.level === LEVEL.warn && r.path === file);
      expect(skipped.map((r) => r.line).sort()).to.deep.equal([3, 4]);
    });

    it('reads a file that starts with a UTF-8 byte order mark, first line included', async () => {
      await writeFile(file, '\uFEFF' + [1, 2, 3, 4, 5].map((seq) => line(seq, `t${seq}`)).join(''));
      const store = await open();
      expect((await store.recent(ROOM, 10)).map((m) => m.text)).to.deep.equal([
        't1',
        't2',
        't3',
        't4',
        't5',
      ]);
      expect((await store.append(draft(ROOM, 'six'))).seq).to.equal(6);
      await store.close();
    });
  });

  describe('write failures', () => {
    it('refuses every queued append and hands their seqs out again, leaving no gap', async () => {
      const store = await open();
      await store.recent(ROOM, 1); // loads the (missing) file without opening it for writing
      await mkdir(file); // now the path cannot be opened for appending
      const outcomes = await Promise.allSettled(
        [1, 2, 3].map((i) => store.append(draft(ROOM, `m${i}`))),
      );
      expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected', 'rejected']);
      await rmdir(file);
      expect((await store.append(draft(ROOM, 'after'))).seq).to.equal(1);
      expect((await store.recent(ROOM, 10)).map((m) => m.text)).to.deep.equal(['after']);
      await store.close();
    });

    it('logs one error per failing streak, with path and error code, and one line once writes work again', async () => {
      const { logger, records } = capturedLogger();
      const store = await FileMessageStore.open(fileStoreOptions(dir.path), logger);
      await store.recent(ROOM, 1);
      await mkdir(file); // every append now fails with EISDIR
      for (let i = 1; i <= 5; i++) await store.append(draft(ROOM, `m${i}`)).catch(() => undefined);
      await rmdir(file);
      for (const text of ['after', 'again']) await store.append(draft(ROOM, text));
      await store.close();
      const told = records.filter((r) => r.path === file);
      expect(told.map((r) => [r.level, r.code])).to.deep.equal([
        [LEVEL.error, 'EISDIR'],
        [LEVEL.info, undefined],
      ]);
    });
  });

  it('writes pending appends before close resolves', async () => {
    const store = await open();
    const pending = [1, 2, 3].map((i) => store.append(draft(ROOM, `m${i}`)));
    await store.close();
    await Promise.all(pending);
    expect((await readFile(file, 'utf8')).trimEnd().split('\n')).to.have.length(3);
  });

  it('serves history beyond its in-memory cache from the file', async () => {
    const store = await open(); // cache of 4
    for (let i = 1; i <= 10; i++) await store.append(draft(ROOM, `m${i}`));
    expect((await store.recent(ROOM, 7)).map((m) => m.seq)).to.deep.equal([4, 5, 6, 7, 8, 9, 10]);
    await store.close();
  });

  it('serves pages asked for while the file is compacted from the file before or after, never a mix', async () => {
    const store = await open(); // retention 30: the 76th message makes the file 2 × 30 + 16
    for (let i = 1; i <= 75; i++) await store.append(draft(ROOM, `t${i}`));
    const pages: Promise<Message[]>[] = [];
    const during = store.append(draft(ROOM, 't76')).then(() => {
      // resolved: the write is done and the compaction it starts is under way
      for (let k = 0; k < 10; k++) pages.push(store.page(ROOM, { before: 70, limit: 10 }));
    });
    for (let k = 0; k < 10; k++) pages.push(store.page(ROOM, { before: 70, limit: 10 }));
    await during;
    for (const page of await Promise.all(pages)) {
      expect(page.map((m) => [m.seq, m.text])).to.deep.equal(
        page.map((_, i) => [60 + i, `t${60 + i}`]),
      );
    }
    await store.close();
    expect((await readFile(file, 'utf8')).trimEnd().split('\n')).to.have.length(30);
  });

  it('writes only ids it can use as file names', async () => {
    const store = await open();
    let refused = false;
    await store.append(draft('../escape', 'x')).catch(() => (refused = true));
    expect(refused).to.equal(true);
    expect(await store.recent('../escape', 5)).to.deep.equal([]);
    await store.close();
  });
});

describe('FileRoomRepository', () => {
  it('starts from a rooms file with a torn last line and a corrupt line, keeping the good rooms', async () => {
    const dir = await makeTempDir();
    const rooms = join(dir.path, 'rooms.jsonl');
    const good = { id: ROOM, name: 'Lobby', created_at: '2026-11-22T10:00:00.000Z' };
    await writeFile(
      rooms,
      `${JSON.stringify(good)}\n{"id":"bad id!","name":"x","created_at":"x"}\n`,
    );
    await appendFile(rooms, '{"id":"2SzEr');
    const repository = await FileRoomRepository.open(dir.path, silentLogger());
    expect((await repository.list()).map((r) => r.name)).to.deep.equal(['Lobby']);
    await repository.add({ id: 'second', name: 'Den', createdAt: 0 });
    await repository.close();
    const reopened = await FileRoomRepository.open(dir.path, silentLogger());
    expect((await reopened.list()).map((r) => r.name)).to.deep.equal(['Lobby', 'Den']);
    await reopened.close();
    await dir.remove();
  });

  it('reads a rooms file that starts with a UTF-8 byte order mark, first room included', async () => {
    const dir = await makeTempDir();
    const room = (id: string, name: string) =>
      `${JSON.stringify({ id, name, created_at: '2026-11-22T10:00:00.000Z' })}\n`;
    await writeFile(
      join(dir.path, 'rooms.jsonl'),
      '\uFEFF' + room(ROOM, 'Lobby') + room('r2', 'Den'),
    );
    const repository = await FileRoomRepository.open(dir.path, silentLogger());
    expect((await repository.list()).map((r) => r.name)).to.deep.equal(['Lobby', 'Den']);
    await repository.close();
    await dir.remove();
  });
});

describe('FileMessageStore idle rooms', () => {
  it('forgets a quiet room (closing its file) and reads it back on next use, seq intact', async () => {
    const dir = await makeTempDir();
    const options = { ...fileStoreOptions(dir.path), fsyncIntervalMs: 20, idleCloseMs: 50 };
    const store = await FileMessageStore.open(options, silentLogger());
    const file = join(dir.path, 'messages', `${ROOM}.jsonl`);
    const openDescriptors = async () => {
      const fds = await readdir('/proc/self/fd');
      const targets = await Promise.all(
        fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
      );
      return targets.filter((target) => target === file).length;
    };
    await store.append(draft(ROOM, 'one'));
    expect(await openDescriptors()).to.equal(1);
    await eventually(
      'the idle room to be closed',
      async () => (await openDescriptors()) === 0,
      2000,
    );
    expect((await store.append(draft(ROOM, 'two'))).seq).to.equal(2);
    expect((await store.recent(ROOM, 10)).map((m) => m.text)).to.deep.equal(['one', 'two']);
    await store.close();
    await dir.remove();
  });
});
