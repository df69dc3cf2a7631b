import { expect } from 'chai';
import { Conversation } from '../../client/core/conversation.js';
import type { ChatMessage } from '../../client/core/events.js';

function message(seq: number): ChatMessage {
  return { id: `m${seq}`, seq, participant: 'Ann', text: `text ${seq}`, sent_at: '' };
}
const seqs = (messages: readonly ChatMessage[]): number[] => messages.map((m) => m.seq);

describe('client Conversation: one order, each message once', () => {
  it('anchors at the first message it receives and shows the next ones in order', () => {
    const conversation = new Conversation();
    expect(seqs(conversation.receive(message(40), message(41)))).to.deep.equal([40, 41]);
    expect(seqs(conversation.receive(message(42)))).to.deep.equal([42]);
    expect(conversation.lastSeq).to.equal(42);
    expect(conversation.oldestSeq).to.equal(40);
  });

  it('drops what it already showed (a replay after a reconnect overlaps the live stream)', () => {
    const conversation = new Conversation();
    conversation.receive(message(1), message(2), message(3));
    expect(seqs(conversation.receive(message(2), message(3), message(4)))).to.deep.equal([4]);
  });

  it('holds messages behind a gap until the gap is filled, then shows all in order', () => {
    const conversation = new Conversation(10);
    expect(conversation.receive(message(14), message(15))).to.deep.equal([]);
    expect(conversation.gap).to.deep.equal({ after: 10, upTo: 13 });
    expect(seqs(conversation.receive(message(11), message(12)))).to.deep.equal([11, 12]);
    expect(conversation.gap).to.deep.equal({ after: 12, upTo: 13 });
    expect(seqs(conversation.receive(message(13), message(14)))).to.deep.equal([13, 14, 15]);
    expect(conversation.gap).to.equal(undefined);
  });

  it('moves past a gap the server can no longer fill', () => {
    const conversation = new Conversation(3);
    conversation.receive(message(9), message(10));
    expect(seqs(conversation.skipGap())).to.deep.equal([9, 10]);
    expect(conversation.lastSeq).to.equal(10);
    expect(conversation.skipGap()).to.deep.equal([]);
  });

  it('prepends older pages without repeating what is shown', () => {
    const conversation = new Conversation();
    conversation.receive(message(20), message(21));
    const older = conversation.prepend([message(18), message(19), message(20)]);
    expect(seqs(older)).to.deep.equal([18, 19]);
    expect(conversation.oldestSeq).to.equal(18);
    expect(conversation.prepend([message(19)])).to.deep.equal([]);
  });
});
