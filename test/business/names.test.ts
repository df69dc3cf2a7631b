import { expect } from 'chai';
import { isChatError } from '../../business/chat/chat-error.js';
import { parseMessageText } from '../../business/chat/message.js';
import { nicknameKey, parseNickname } from '../../business/chat/nickname.js';
import { parseRoomName } from '../../business/chat/room.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isChatError(error) ? error.code : 'not a ChatError';
  }
  return undefined;
}

describe('parseRoomName', () => {
  it('returns the name trimmed', () => {
    expect(parseRoomName('  Lobby  ')).to.equal('Lobby');
  });

  it('accepts exactly 100 characters, counting code points rather than UTF-16 units', () => {
    expect(parseRoomName('😀'.repeat(100))).to.have.length(200);
  });

  for (const [label, raw] of [
    ['that is missing', undefined],
    ['that is not a string', ['a', 'b']],
    ['that is empty', ''],
    ['that is blank', '   \t '],
    ['of 101 characters', 'x'.repeat(101)],
    ['holding a control character', 'Lob\u0007by'],
    ['holding a newline', 'Lob\nby'],
    ['holding a lone surrogate', 'Lob\ud800by'],
  ] as const) {
    it(`refuses a name ${label} with invalid_room_name`, () => {
      expect(codeOf(() => parseRoomName(raw))).to.equal('invalid_room_name');
    });
  }
});

describe('parseNickname', () => {
  it('returns the nickname trimmed', () => {
    expect(parseNickname(' John ')).to.equal('John');
  });

  for (const [label, raw] of [
    ['that is blank', '  '],
    ['of 33 characters', 'n'.repeat(33)],
    ['holding a control character', 'Jo\u0000hn'],
    ['starting with @', '@john'],
    ['starting with #', '#john'],
    ['starting with /', '/john'],
  ] as const) {
    it(`refuses a nickname ${label} with invalid_nickname`, () => {
      expect(codeOf(() => parseNickname(raw))).to.equal('invalid_nickname');
    });
  }

  it('compares nicknames without regard to case or full-width forms', () => {
    expect(nicknameKey('John')).to.equal(nicknameKey('jOHN'));
    expect(nicknameKey('ＪＯＨＮ')).to.equal(nicknameKey('john'));
    expect(nicknameKey('John')).not.to.equal(nicknameKey('Joan'));
  });
});

describe('parseMessageText', () => {
  it('keeps the text exactly as sent, leading spaces included', () => {
    expect(parseMessageText('  indented')).to.equal('  indented');
  });

  it('refuses a whitespace-only message with empty_message', () => {
    expect(codeOf(() => parseMessageText(' \n\t '))).to.equal('empty_message');
  });
});
