import { expect } from 'chai';
import type { Message } from '../../../business/chat/message.js';
import { GroupCommit, type BatchOutcome } from '../../../platform/storage/file/group-commit.js';
import type { JsonlFile } from '../../../platform/storage/file/jsonl-file.js';

/** A file that records each append's size and fails the appends it is told to. */
function fakeFile(failing = 0) {
  const writes: number[] = [];
  let syncs = 0;
  let size = 0;
  let failures = failing;
  const file = {
    append: (bytes: Buffer) => {
      if (failures-- > 0) return Promise.reject(new Error('disk full'));
      writes.push(bytes.length);
      size += bytes.length;
      return Promise.resolve(size - bytes.length);
    },
    sync: () => Promise.resolve(void syncs++),
  } as unknown as JsonlFile;
  return { file, writes, syncs: () => syncs };
}

/** What the room hears from the commit. */
function recordingOutcome() {
  const written: [number, number][] = [];
  let refused = 0;
  const outcome: BatchOutcome = {
    written: (message, offset) => void written.push([message.seq, offset]),
    refused: () => void refused++,
    afterBatch: () => Promise.resolve(),
  };
  return { outcome, written, refused: () => refused };
}

function message(seq: number): Message {
  return { id: `m${seq}`, roomId: 'r1', seq, participant: 'Ann', text: 'hi', sentAt: 0 };
}

describe('GroupCommit', () => {
  it('writes the appends of one turn in one write, each resolved after the room heard of it', async () => {
    const { file, writes } = fakeFile();
    const room = recordingOutcome();
    const commit = new GroupCommit(file, 'interval', room.outcome);
    const heard: number[] = []; // how many messages the room had heard of as each resolved
    const appends = [1, 2, 3].map((seq) =>
      commit.append(message(seq)).then(() => heard.push(room.written.length)),
    );
    await Promise.all(appends);
    expect(writes).to.have.length(1);
    expect(room.written).to.deep.equal([
      [1, 0],
      [2, writes[0]! / 3],
      [3, (2 * writes[0]!) / 3],
    ]);
    heard.forEach((count, i) => expect(count).to.be.at.least(i + 1));
  });

  it('refuses a batch that failed and what queued behind it, telling the room once', async () => {
    const { file } = fakeFile(1);
    const room = recordingOutcome();
    const commit = new GroupCommit(file, 'interval', room.outcome);
    const results = await Promise.allSettled([1, 2].map((seq) => commit.append(message(seq))));
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    expect(room.refused()).to.equal(1);
    expect(room.written).to.deep.equal([]);
  });

  it('flushes what is queued and syncs it, unless the policy is never', async () => {
    for (const [fsync, syncs] of [
      ['interval', 1],
      ['never', 0],
    ] as const) {
      const { file, writes, syncs: synced } = fakeFile();
      const commit = new GroupCommit(file, fsync, recordingOutcome().outcome);
      void commit.append(message(1));
      await commit.flush();
      expect(writes, fsync).to.have.length(1);
      expect(synced(), fsync).to.equal(syncs);
    }
  });
});
