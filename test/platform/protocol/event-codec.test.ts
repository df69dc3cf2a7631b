import { expect } from 'chai';
import type { Message } from '../../../business/chat/message.js';
import {
  encodeError,
  encodeEvent,
  encodeShuttingDown,
} from '../../../platform/protocol/event-codec.js';

const AT = Date.UTC(2026, 10, 22, 10, 0, 0);
const message: Message = {
  id: '2SzErhA2PvYGjf4PQ4pvTh9BfE1',
  roomId: '2SzErhA2PvYGjf4PQ4pvTh9BfE0',
  seq: 42,
  participant: 'John',
  text: 'Hello World!',
  sentAt: AT,
};

/** Golden frames: the exact bytes clients parse. Changing one is a protocol change. */
describe('event codec (golden frames)', () => {
  it('encodes a live message with Chatty’s text and participant keys', () => {
    expect(encodeEvent({ type: 'message_posted', message })).to.equal(
      '{"event_type":"message","id":"2SzErhA2PvYGjf4PQ4pvTh9BfE1","seq":42,"room":"2SzErhA2PvYGjf4PQ4pvTh9BfE0",' +
        '"participant":"John","text":"Hello World!","sent_at":"2026-11-22T10:00:00.000Z"}',
    );
  });

  it('marks a replayed message with "history":true', () => {
    const frame = JSON.parse(encodeEvent({ type: 'message_replayed', message })) as Record<
      string,
      unknown
    >;
    expect(frame).to.include({ event_type: 'message', seq: 42, history: true });
  });

  it('encodes participant_joined and participant_left', () => {
    expect(
      encodeEvent({
        type: 'participant_joined',
        roomId: 'r1',
        roomName: 'Lobby',
        participant: 'John',
        at: AT,
      }),
    ).to.equal(
      '{"event_type":"participant_joined","participant":"John","room":"r1","at":"2026-11-22T10:00:00.000Z"}',
    );
    expect(
      encodeEvent({
        type: 'participant_left',
        roomId: 'r1',
        participant: 'John',
        reason: 'quit',
        at: AT,
      }),
    ).to.equal(
      '{"event_type":"participant_left","participant":"John","room":"r1","reason":"quit","at":"2026-11-22T10:00:00.000Z"}',
    );
  });

  it('encodes server_shutting_down and error frames', () => {
    expect(encodeShuttingDown()).to.equal('{"event_type":"server_shutting_down"}');
    expect(encodeError('room_not_found', 'no room')).to.equal(
      '{"event_type":"error","code":"room_not_found","message":"no room"}',
    );
  });

  it('escapes text so any message survives a round trip', () => {
    const tricky = { ...message, text: '"quotes" \\ \n\u2028 😀 </script>' };
    const frame = JSON.parse(encodeEvent({ type: 'message_posted', message: tricky })) as {
      text: string;
    };
    expect(frame.text).to.equal(tricky.text);
  });
});
