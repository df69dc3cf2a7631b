import { expect } from 'chai';
import { selectPage, type HistoryQuery } from '../../business/chat/history-page.js';
import type { Message } from '../../business/chat/message.js';
import type { RoomEvent } from '../../business/chat/room-event.js';
import { RoomSequencer, type HistoryReader } from '../../business/chat/room-sequencer.js';
import { ManualTimer } from './chat-harness.js';

function message(seq: number): Message {
  return { id: `m${seq}`, roomId: 'r1', seq, participant: 'Ann', text: `t${seq}`, sentAt: seq };
}
const posted = (seq: number): RoomEvent => ({ type: 'message_posted', message: message(seq) });
const left = (who: string): RoomEvent => ({
  type: 'participant_left',
  roomId: 'r1',
  participant: who,
  reason: 'quit',
  at: 0,
});

/** History holding messages 1…stored, whose reads can be made to fail; counts its page reads. */
class History implements HistoryReader {
  stored = 0;
  failing = false;
  pages = 0;

  recent(_roomId: string, limit: number): Promise<Message[]> {
    if (this.failing) return Promise.reject(new Error('down'));
    return Promise.resolve(this.all().slice(-limit));
  }

  page(_roomId: string, query: HistoryQuery): Promise<Message[]> {
    this.pages++;
    if (this.failing) return Promise.reject(new Error('down'));
    return Promise.resolve(selectPage(this.all(), query));
  }

  private all(): Message[] {
    return Array.from({ length: this.stored }, (_, i) => message(i + 1));
  }
}

/** What was delivered: a seq for a message, `-name` for a leave. */
function delivered(events: readonly RoomEvent[]): (number | string)[] {
  return events.map((e) =>
    e.type === 'message_posted'
      ? e.message.seq
      : e.type === 'participant_left'
        ? `-${e.participant}`
        : e.type,
  );
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RoomSequencer', () => {
  let history: History;
  let timer: ManualTimer;
  let out: RoomEvent[];
  let sequencer: RoomSequencer;

  beforeEach(async () => {
    history = new History();
    history.stored = 3;
    timer = new ManualTimer();
    out = [];
    sequencer = new RoomSequencer('r1', history, timer, (e) => out.push(e));
    await sequencer.start();
  });

  it('delivers messages after the newest stored at start, in order, at once', () => {
    sequencer.receive(posted(3)); // already in history when the sequencer started
    sequencer.receive(posted(4));
    sequencer.receive(left('Bob'));
    sequencer.receive(posted(5));
    expect(delivered(out)).to.deep.equal([4, '-Bob', 5]);
    expect(history.pages).to.equal(0);
  });

  it('holds a message that comes early, and what follows it, until the missing one arrives', async () => {
    history.stored = 6;
    sequencer.receive(posted(5));
    sequencer.receive(left('Bob'));
    sequencer.receive(posted(4));
    sequencer.receive(posted(6));
    sequencer.receive(posted(4)); // a duplicate
    await settle();
    expect(delivered(out)).to.deep.equal([4, 5, '-Bob', 6]);
  });

  it('fills a gap from history when the missing message never arrives', async () => {
    history.stored = 7;
    sequencer.receive(posted(7));
    sequencer.receive(left('Bob'));
    await settle();
    expect(delivered(out)).to.deep.equal([4, 5, 6, 7, '-Bob']);
    sequencer.receive(posted(5)); // late: dropped
    sequencer.receive(posted(8));
    expect(delivered(out).slice(5)).to.deep.equal([8]);
  });

  it('reads the gap again after a failed read, holding everything meanwhile', async () => {
    history.stored = 5;
    history.failing = true;
    sequencer.receive(posted(5));
    sequencer.receive(left('Bob'));
    await settle();
    expect(out).to.deep.equal([]);
    history.failing = false;
    timer.advance(1000);
    await settle();
    expect(delivered(out)).to.deep.equal([4, 5, '-Bob']);
  });

  it('catches up from history after the broker reconnected', async () => {
    history.stored = 6;
    sequencer.catchUp();
    await settle();
    await settle();
    expect(delivered(out)).to.deep.equal([4, 5, 6]);
  });

  it('skips a gap history no longer holds', async () => {
    sequencer.receive(posted(9)); // 4…8 were never stored here (say, deleted)
    await settle();
    expect(delivered(out)).to.deep.equal([9]);
  });

  it('holds what arrives before start, and drops messages start found in history', async () => {
    const early = new RoomSequencer('r1', history, timer, (e) => out.push(e));
    early.receive(posted(2));
    early.receive(left('Cy'));
    early.receive(posted(4));
    expect(out).to.deep.equal([]);
    await early.start();
    expect(delivered(out)).to.deep.equal(['-Cy', 4]);
  });
});
