import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { pino } from 'pino';
import type { AuditEntry } from '../../../business/ports/audit-trail.js';
import type { Clock } from '../../../business/ports/clock.js';
import {
  FileAuditTrail,
  type FileAuditTrailOptions,
} from '../../../platform/audit/file-audit-trail.js';
import { NoAuditTrail } from '../../../platform/audit/no-audit-trail.js';
import type { Logger } from '../../../platform/logging/logger.js';
import { eventually } from '../../support/eventually.js';
import { makeTempDir } from '../../support/temp-dir.js';

const AT = '2026-11-22T10:00:00.000Z';
const clock: Clock = { now: () => Date.parse(AT) };

interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly count?: number;
  readonly path?: string;
  readonly err?: { readonly code?: string };
}

const ERROR = 50;
const WARN = 40;

/** A debug-level pino logger whose records the test can read. */
function capturingLogger(): {
  logger: Logger;
  records: LogRecord[];
  at(level: number): LogRecord[];
} {
  const records: LogRecord[] = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => records.push(JSON.parse(line) as LogRecord) },
  );
  return { logger, records, at: (level) => records.filter((record) => record.level === level) };
}

/** Entry `n`, every one the same length on disk (for n < 10,000), so file sizes are predictable. */
function entry(n: number): AuditEntry {
  return {
    event: 'message',
    room: 'lobby',
    participant: 'ann',
    id: `m${String(n).padStart(4, '0')}`,
    text: 'hello',
  };
}

/** Bytes one `entry(n)` takes in the file. */
const LINE = Buffer.byteLength(`${JSON.stringify({ at: AT, ...entry(0) })}\n`);

async function readLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path, 'utf8');
  expect(text === '' || text.endsWith('\n'), 'file ends with a complete line').to.equal(true);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function ids(path: string): Promise<unknown[]> {
  return (await readLines(path)).map((line) => line.id);
}

const range = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => entry(from + i)).map(
    (e) => (e as { id: string }).id,
  );

describe('FileAuditTrail', () => {
  let dir: { path: string; remove(): Promise<void> };
  let file: string;
  let log: ReturnType<typeof capturingLogger>;
  const open = (options: Partial<FileAuditTrailOptions> = {}) =>
    FileAuditTrail.open({ path: file, maxBytes: 0, maxFiles: 3, ...options }, log.logger, clock);

  beforeEach(async () => {
    dir = await makeTempDir('parley-audit-');
    file = join(dir.path, 'audit.log');
    log = capturingLogger();
  });

  afterEach(() => dir.remove());

  it('writes each entry as one JSON line, its time first, in record order', async () => {
    const entries: AuditEntry[] = [
      { event: 'connection_opened', transport: 'tcp', address: '10.0.0.1', port: 5000 },
      { event: 'message', room: 'lobby', participant: 'ann', id: 'm1', text: 'hi "all"\n' },
      { event: 'private_message', room: 'lobby', from: 'ann', to: 'bob', text: 'psst' },
      { event: 'command', room: 'lobby', participant: 'ann', command: 'nick', line: '/nick anna' },
      { event: 'error', code: 'too_long', message: 'line too long' },
    ];
    const trail = await open();
    entries.forEach((e) => trail.record(e));
    await trail.close();
    expect(await readLines(file)).to.deep.equal(entries.map((e) => ({ at: AT, ...e })));
    expect(await readFile(file, 'utf8')).to.match(/^\{"at":"2026-11-22T10:00:00\.000Z","event":/);
    expect(log.at(ERROR)).to.deep.equal([]);
  });

  it('records synchronously without throwing, and close writes every entry', async () => {
    const trail = await open();
    for (let n = 0; n < 5000; n += 1) {
      let result: unknown = 'not called';
      expect(() => (result = trail.record(entry(n)))).not.to.throw();
      expect(result).to.equal(undefined);
    }
    await trail.close();
    expect(await ids(file)).to.deep.equal(range(0, 4999));
  });

  it('creates the file with no permission beyond rw-r-----', async () => {
    const trail = await open();
    await trail.close();
    expect((await stat(file)).mode & 0o777 & ~0o640).to.equal(0);
  });

  it('appends to an existing file, counting its size toward maxBytes', async () => {
    const before = `${JSON.stringify({ pad: 'x'.repeat(3 * LINE - 11) })}\n`; // 3 lines' worth
    await writeFile(file, before);
    const trail = await open({ maxBytes: 4 * LINE, maxFiles: 1 });
    trail.record(entry(0)); // fills the file to exactly maxBytes
    trail.record(entry(1)); // would pass it: rotates first
    await trail.close();
    const rotated = await readFile(`${file}.1`, 'utf8');
    expect(rotated.startsWith(before)).to.equal(true);
    expect(await ids(`${file}.1`)).to.deep.equal([undefined, 'm0000']);
    expect(await ids(file)).to.deep.equal(['m0001']);
  });

  describe('rotation', () => {
    /** Records `from..to` a few at a time, so the writer sees batches of different sizes. */
    async function recordInTurns(trail: FileAuditTrail, from: number, to: number): Promise<void> {
      for (let n = from; n <= to; n += 1) {
        trail.record(entry(n));
        if (n % 3 === 0) await nextTurn();
      }
    }

    async function files(): Promise<string[]> {
      return (await readdir(dir.path)).sort();
    }

    it('puts the newest entries in FILE and older ones in FILE.1, FILE.2, losing nothing that fits', async () => {
      const trail = await open({ maxBytes: 4 * LINE, maxFiles: 2 });
      await recordInTurns(trail, 0, 11);
      await trail.close();
      expect(await files()).to.deep.equal(['audit.log', 'audit.log.1', 'audit.log.2']);
      expect(await ids(`${file}.2`)).to.deep.equal(range(0, 3));
      expect(await ids(`${file}.1`)).to.deep.equal(range(4, 7));
      expect(await ids(file)).to.deep.equal(range(8, 11));
    });

    it('keeps at most maxFiles rotated files, each within maxBytes, deleting the oldest', async () => {
      const trail = await open({ maxBytes: 4 * LINE, maxFiles: 2 });
      await recordInTurns(trail, 0, 24);
      await trail.close();
      expect(await files()).to.deep.equal(['audit.log', 'audit.log.1', 'audit.log.2']);
      for (const name of await files()) {
        expect((await stat(join(dir.path, name))).size).to.be.at.most(4 * LINE);
      }
      const kept = [...(await ids(`${file}.2`)), ...(await ids(`${file}.1`)), ...(await ids(file))];
      expect(kept).to.deep.equal(range(16, 24));
    });

    it('with maxFiles 0 starts the file afresh and keeps no rotated file', async () => {
      const trail = await open({ maxBytes: 2 * LINE, maxFiles: 0 });
      await recordInTurns(trail, 0, 4);
      await trail.close();
      expect(await files()).to.deep.equal(['audit.log']);
      expect(await ids(file)).to.deep.equal(range(4, 4));
    });

    it('writes an entry larger than maxBytes whole, on its own in a fresh file', async () => {
      const trail = await open({ maxBytes: 2 * LINE, maxFiles: 5 });
      const big: AuditEntry = { ...entry(1), text: 'y'.repeat(10 * LINE) } as AuditEntry;
      trail.record(entry(0));
      trail.record(big);
      trail.record(entry(2));
      await trail.close();
      expect(await files()).to.deep.equal(['audit.log', 'audit.log.1', 'audit.log.2']);
      expect(await ids(`${file}.2`)).to.deep.equal(['m0000']);
      expect(await readLines(`${file}.1`)).to.deep.equal([{ at: AT, ...big }]);
      expect(await ids(file)).to.deep.equal(['m0002']);
    });

    it('never rotates with maxBytes 0', async () => {
      const trail = await open({ maxBytes: 0, maxFiles: 2 });
      await recordInTurns(trail, 0, 99);
      await trail.close();
      expect(await files()).to.deep.equal(['audit.log']);
      expect(await ids(file)).to.deep.equal(range(0, 99));
    });

    it('goes on writing in the current file when rotation fails, and says so once', async () => {
      await mkdir(join(`${file}.1`, 'in-the-way'), { recursive: true }); // rename onto it fails
      const trail = await open({ maxBytes: 2 * LINE, maxFiles: 1 });
      await recordInTurns(trail, 0, 3); // tries again only once the file has grown by maxBytes
      await trail.close();
      expect(await ids(file)).to.deep.equal(range(0, 3));
      expect(log.at(ERROR).map((r) => r.msg)).to.deep.equal([
        'cannot rotate the audit log; writing on in it',
      ]);
    });

    it('never renames a file that is not a regular file (a FIFO)', async function () {
      const fifo = join(dir.path, 'audit.fifo');
      try {
        execFileSync('mkfifo', [fifo]);
      } catch {
        this.skip();
      }
      // A reader must exist for the writer's open not to block.
      const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      try {
        const trail = await FileAuditTrail.open(
          { path: fifo, maxBytes: LINE, maxFiles: 2 },
          log.logger,
          clock,
        );
        await recordInTurns(trail, 0, 4);
        await trail.close();
        expect((await lstat(fifo)).isFIFO()).to.equal(true);
        expect(await readdir(dir.path)).to.deep.equal(['audit.fifo']);
        const buffer = Buffer.alloc(64 * 1024);
        const text = buffer.subarray(0, readSync(reader, buffer)).toString('utf8');
        expect(text.trimEnd().split('\n')).to.have.length(5);
        expect(log.at(ERROR)).to.deep.equal([]);
      } finally {
        closeSync(reader);
      }
    });
  });

  it('on /dev/full (ENOSPC) logs one error for the whole streak, never throws, never renames it', async function () {
    if (!existsSync('/dev/full')) this.skip();
    const trail = await FileAuditTrail.open(
      { path: '/dev/full', maxBytes: LINE, maxFiles: 2 },
      log.logger,
      clock,
    );
    for (let n = 0; n < 200; n += 1) expect(() => trail.record(entry(n))).not.to.throw();
    await eventually('the first write to fail', () => log.at(ERROR).length > 0);
    for (let n = 200; n < 400; n += 1) trail.record(entry(n));
    await trail.close();
    const errors = log.at(ERROR);
    expect(errors).to.have.length(1);
    expect(errors[0]?.err?.code).to.equal('ENOSPC');
    expect(errors[0]?.path).to.equal('/dev/full');
    expect((await lstat('/dev/full')).isCharacterDevice()).to.equal(true);
    expect(existsSync('/dev/full.1')).to.equal(false);
  });

  it('drops entries past maxQueuedBytes, then warns once with the count and marks the gap', async () => {
    const trail = await open({ maxQueuedBytes: LINE }); // room for one entry in memory
    for (let n = 0; n < 10; n += 1) trail.record(entry(n));
    await eventually('the drop to be reported', () => log.at(WARN).length > 0);
    await eventually('the queue to drain', async () => (await stat(file)).size > LINE);
    await nextTurn();
    trail.record(entry(10));
    await trail.close();
    const warnings = log.at(WARN);
    expect(warnings).to.have.length(1);
    expect(warnings[0]?.count).to.equal(9);
    expect(await readLines(file)).to.deep.equal([
      { at: AT, ...entry(0) },
      { at: AT, event: 'audit_entries_dropped', count: 9 },
      { at: AT, ...entry(10) },
    ]);
  });

  it('rejects open, naming the path, when the directory does not exist', async () => {
    const missing = join(dir.path, 'no-such-dir', 'audit.log');
    let failure: unknown;
    try {
      await FileAuditTrail.open({ path: missing, maxBytes: 0, maxFiles: 0 }, log.logger, clock);
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).message).to.contain(missing);
  });

  it('rejects options that are not whole numbers ≥ 0', async () => {
    let failure: unknown;
    try {
      await open({ maxBytes: -1 });
    } catch (error) {
      failure = error;
    }
    expect((failure as Error).message).to.contain('maxBytes');
    expect(existsSync(file)).to.equal(false);
  });

  it('ignores records after close, and close can be called again', async () => {
    const trail = await open();
    trail.record(entry(0));
    await trail.close();
    expect(() => trail.record(entry(1))).not.to.throw();
    await trail.close();
    await nextTurn();
    expect(await ids(file)).to.deep.equal(['m0000']);
    expect(log.records).to.deep.equal([]); // not even a failed write to the closed file
  });
});

describe('NoAuditTrail', () => {
  it('accepts entries and closes, doing nothing', async () => {
    const trail = new NoAuditTrail();
    expect(() => trail.record(entry(0))).not.to.throw();
    await trail.close();
    await trail.close();
  });
});
