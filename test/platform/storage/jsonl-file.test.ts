import { expect } from 'chai';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { silentLogger } from '../../../platform/logging/logger.js';
import { DamageReport } from '../../../platform/storage/file/damage-report.js';
import { JsonlFile } from '../../../platform/storage/file/jsonl-file.js';
import { MainThreadWrites } from '../../../platform/storage/file/main-thread-writes.js';
import { makeTempDir } from '../../support/temp-dir.js';

describe('JsonlFile appends in place', () => {
  let dir: { path: string; remove(): Promise<void> };
  let path: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    path = join(dir.path, 'room.jsonl');
  });

  afterEach(() => dir.remove());

  const recover = (inPlace?: MainThreadWrites): Promise<JsonlFile> => {
    const logger = silentLogger();
    const damage = new DamageReport(logger, path);
    return JsonlFile.recover(path, { visit: () => undefined, damage, logger, inPlace });
  };
  const line = (n: number): Buffer => Buffer.from(`{"n":${n}}\n`);

  /** An open file (the first append opens it, through the thread pool) with one line. */
  async function openFile(inPlace?: MainThreadWrites): Promise<JsonlFile> {
    const file = await recover(inPlace);
    await file.append(line(1));
    return file;
  }

  // Whether the bytes are in the file before append() has returned to the event loop.
  const sizeNow = (): number => statSync(path).size;

  it('writes a non-durable append before returning while the main thread is allowed', async () => {
    const file = await openFile(new MainThreadWrites(silentLogger()));
    const before = sizeNow();
    const appended = file.append(line(2));
    expect(sizeNow()).to.equal(before + 8);
    await appended;
    await file.close();
  });

  it('goes through the thread pool for durable appends, without a gate, and after a slow write', async () => {
    const slow = new MainThreadWrites(silentLogger(), { slowMs: 0, coolDownMs: 60_000 });
    for (const [inPlace, durable, why] of [
      [undefined, false, 'no gate'],
      [new MainThreadWrites(silentLogger()), true, 'durable'],
      [slow, false, 'after a slow write'],
    ] as const) {
      const file = await openFile(inPlace);
      if (inPlace === slow) await file.append(line(2)); // in place, and every write is "slow"
      const before = sizeNow();
      const appended = file.append(line(3), durable);
      expect(sizeNow(), why).to.equal(before);
      await appended;
      expect(sizeNow(), why).to.equal(before + 8);
      await file.close();
      await dir.remove();
      dir = await makeTempDir();
      path = join(dir.path, 'room.jsonl');
    }
  });

  it('keeps call order when appends in place follow appends still queued', async () => {
    const file = await recover(new MainThreadWrites(silentLogger()));
    // The first append opens the file through the thread pool; the others arrive meanwhile.
    const appends = [1, 2, 3].map((n) => file.append(line(n)));
    expect(await Promise.all(appends)).to.deep.equal([0, 8, 16]); // where each landed
    expect(await file.append(line(4))).to.equal(24); // in place now
    await file.close();
    expect(await readFile(path, 'utf8')).to.equal('{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n');
  });
});

describe('MainThreadWrites', () => {
  it('turns writing in place off for the cool-down after a slow write, then on again', () => {
    let now = 0;
    const warnings: unknown[] = [];
    const logger = silentLogger();
    logger.warn = (fields: unknown) => void warnings.push(fields);
    const writes = new MainThreadWrites(logger, { slowMs: 5, coolDownMs: 1000 }, () => now);
    writes.took(4.9);
    expect(writes.allowed).to.equal(true);
    writes.took(12);
    expect(writes.allowed).to.equal(false);
    expect(warnings).to.have.length(1);
    now = 999;
    expect(writes.allowed).to.equal(false);
    now = 1000;
    expect(writes.allowed).to.equal(true);
  });
});
