import { expect } from 'chai';
import type { Message } from '../../../business/chat/message.js';
import { RecentMessages } from '../../../platform/storage/recent-messages.js';

const message = (seq: number): Message => ({
  id: `m${seq}`,
  roomId: 'r',
  seq,
  participant: 'a',
  text: `${seq}`,
  sentAt: 0,
});

describe('RecentMessages', () => {
  it('returns the last messages oldest first before it is full', () => {
    const recent = new RecentMessages(5);
    [1, 2, 3].forEach((seq) => recent.push(message(seq)));
    expect(recent.last(2).map((m) => m.seq)).to.deep.equal([2, 3]);
  });

  it('keeps only the newest `capacity` once it wraps around', () => {
    const recent = new RecentMessages(3);
    [1, 2, 3, 4, 5, 6, 7].forEach((seq) => recent.push(message(seq)));
    expect(recent.length).to.equal(3);
    expect(recent.last(10).map((m) => m.seq)).to.deep.equal([5, 6, 7]);
    expect(recent.last(2).map((m) => m.seq)).to.deep.equal([6, 7]);
  });

  it('holds nothing with a capacity of 0 and returns nothing for a limit of 0', () => {
    const none = new RecentMessages(0);
    none.push(message(1));
    expect(none.last(5)).to.deep.equal([]);
    const some = new RecentMessages(2);
    some.push(message(1));
    expect(some.last(0)).to.deep.equal([]);
  });
});
