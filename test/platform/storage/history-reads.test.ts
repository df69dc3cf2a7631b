import { expect } from 'chai';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileMessageStore } from '../../../platform/storage/file/file-message-store.js';
import { silentLogger } from '../../../platform/logging/logger.js';
import { bigText, writeBigRoomFile } from '../../support/big-files.js';
import { bytesReadBy } from '../../support/bytes-read.js';
import { fileStoreOptions } from '../../support/file-store-options.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { draft } from './message-store.contract.js';

const ROOM = '2SzErhA2PvYGjf4PQ4pvTh9BfE0';
const MESSAGES = 20_000;
const TEXT_BYTES = 2048;

/** What a step cost: bytes this process read (all threads) and JSON lines it parsed. */
async function costOf<T>(
  step: () => Promise<T>,
): Promise<{ result: T; bytes: number; parsed: number }> {
  const parse = JSON.parse;
  let parsed = 0;
  JSON.parse = (...args: Parameters<typeof JSON.parse>) => {
    parsed++;
    return parse(...args) as unknown;
  };
  const before = bytesReadBy();
  try {
    const result = await step();
    return { result, bytes: bytesReadBy() - before, parsed };
  } finally {
    JSON.parse = parse;
  }
}

describe('FileMessageStore history reads on a big room (40 MiB, 20,000 messages)', () => {
  let dir: { path: string; remove(): Promise<void> };
  let file: string;
  let store: FileMessageStore;

  before(async function () {
    this.timeout(20_000);
    dir = await makeTempDir();
    await mkdir(join(dir.path, 'messages'));
    file = join(dir.path, 'messages', `${ROOM}.jsonl`);
    await writeBigRoomFile(file, MESSAGES, TEXT_BYTES);
  });

  beforeEach(async function () {
    this.timeout(20_000);
    const options = { ...fileStoreOptions(dir.path), retention: MESSAGES };
    store = await FileMessageStore.open(options, silentLogger());
    await store.recent(ROOM, 1); // loads the room
  });

  afterEach(() => store.close());
  after(() => dir.remove());

  it('reads and parses only the lines of the oldest page (before=2, limit=1)', async () => {
    const { result, bytes, parsed } = await costOf(() => store.page(ROOM, { before: 2, limit: 1 }));
    expect(result.map((m) => [m.seq, m.text])).to.deep.equal([[1, bigText(1, TEXT_BYTES)]]);
    expect(bytes, 'bytes read').to.be.below(16 * 1024);
    expect(parsed, 'lines parsed').to.equal(1);
  });

  it('reads a 100-message page in the middle, and a recent() past the cache, in proportion', async () => {
    const page = await costOf(() => store.page(ROOM, { after: 10_000, limit: 100 }));
    expect(page.result.map((m) => m.seq)).to.deep.equal(page.result.map((_, i) => 10_001 + i));
    expect(page.bytes, 'bytes read').to.be.below(100 * (TEXT_BYTES + 200));
    expect(page.parsed, 'lines parsed').to.equal(100);
    const recent = await costOf(() => store.recent(ROOM, 500));
    expect(recent.result.map((m) => m.seq)).to.deep.equal(recent.result.map((_, i) => 19_501 + i));
    expect(recent.bytes, 'bytes read').to.be.below(500 * (TEXT_BYTES + 200));
  });
});

describe('FileMessageStore compaction of a big room (40 MiB, 20,000 messages, retention 4,000)', () => {
  it('copies the kept lines as bytes, parsing none, reading about what it keeps', async function () {
    this.timeout(20_000);
    const dir = await makeTempDir();
    await mkdir(join(dir.path, 'messages'));
    const file = join(dir.path, 'messages', `${ROOM}.jsonl`);
    await writeBigRoomFile(file, MESSAGES, TEXT_BYTES);
    const retention = 4000; // 20,000 is past 2 × 4,000 + 16: the next append compacts
    const options = { ...fileStoreOptions(dir.path), retention };
    const store = await FileMessageStore.open(options, silentLogger());
    await store.recent(ROOM, 1); // loads the room
    const { result, parsed, bytes } = await costOf(async () => {
      const appended = await store.append(draft(ROOM, 'after'));
      await store.close(); // waits for the compaction this append started
      return appended;
    });
    expect(result.seq).to.equal(MESSAGES + 1);
    const kept = (await stat(file)).size;
    expect(kept, 'the file holds about the retention').to.be.below(retention * (TEXT_BYTES + 200));
    expect(parsed, 'lines parsed').to.equal(0);
    expect(bytes, 'bytes read').to.be.below(kept + (1 << 20));
    const reopened = await FileMessageStore.open(options, silentLogger());
    const oldest = await reopened.page(ROOM, { after: 0, limit: 1 });
    expect(oldest.map((m) => [m.seq, m.text])).to.deep.equal([
      [MESSAGES + 2 - retention, bigText(MESSAGES + 2 - retention, TEXT_BYTES)],
    ]);
    expect((await reopened.recent(ROOM, 1))[0]).to.include({ seq: MESSAGES + 1, text: 'after' });
    await reopened.close();
    await dir.remove();
  });
});
