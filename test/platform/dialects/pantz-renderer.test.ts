import { expect } from 'chai';
import type { MemberEvent } from '../../../business/chat/room-event.js';
import { PantzRenderer } from '../../../platform/dialects/pantz-renderer.js';

/** The text of each unmasked server frame in the buffer (payloads under 126 bytes). */
function frames(buffer: Buffer): string[] {
  const texts: string[] = [];
  for (let at = 0; at < buffer.length;) {
    expect(buffer[at], 'FIN + text').to.equal(0x81);
    const length = buffer[at + 1] as number;
    texts.push(buffer.subarray(at + 2, at + 2 + length).toString('utf8'));
    at += 2 + length;
  }
  return texts;
}

const reader = { nameIn: () => 'ann', roomNameOf: () => 'Demo' };

describe('PantzRenderer', () => {
  const renderer = new PantzRenderer();

  it('shows batched presence (big rooms) as one notice per name, with an empty list', () => {
    const event: MemberEvent = {
      type: 'participants_changed',
      roomId: 'r',
      joined: ['bob', 'cy'],
      left: ['dee'],
      at: 0,
    };
    expect(frames(renderer.event(event, reader))).to.deep.equal([
      '{"roomName":"Demo","rspType":104,"content":"bob has joined the room.","list":[]}',
      '{"roomName":"Demo","rspType":104,"content":"cy has joined the room.","list":[]}',
      '{"roomName":"Demo","rspType":109,"content":"dee has left the room.","list":[]}',
    ]);
  });

  it('encodes a room event once for all its readers', () => {
    const message = { id: 'm', seq: 1, roomId: 'r', participant: 'bob', text: 'hi', sentAt: 0 };
    const event: MemberEvent = { type: 'message_posted', message };
    const first = renderer.event(event, reader);
    expect(renderer.event(event, reader)).to.equal(first);
    expect(frames(first)).to.deep.equal([
      '{"roomName":"Demo","rspType":108,"content":"bob: hi","list":[]}',
    ]);
  });

  it('sends nothing for what chattypantz has no form for: renames, history, errors, goodbyes', () => {
    const renamed: MemberEvent = {
      type: 'participant_renamed',
      roomId: 'r',
      from: 'a',
      to: 'b',
      at: 0,
    };
    expect(renderer.event(renamed, reader)).to.have.length(0);
    expect(renderer.error()).to.have.length(0);
    expect(renderer.shuttingDown()).to.have.length(0);
    expect(renderer.reply()).to.have.length(0);
  });
});
