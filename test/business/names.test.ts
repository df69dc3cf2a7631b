import { expect } from 'chai';
import { isChatError } from '../../business/chat/chat-error.js';
import { parseMessageText } from '../../business/chat/message.js';
import { parseNickname } from '../../business/chat/nickname.js';
import { parseRoomName } from '../../business/chat/room.js';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isChatError(error) ? error.code : 'not a ChatError';
  }
  return undefined;
}

/** The refusal's sentence, or 'accepted'. */
function reasonOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return isChatError(error) ? error.message : 'not a ChatError';
  }
  return 'accepted';
}

/**
 * Names that look blank, hide characters or turn the text around (issue 10), each with the part
 * of the refusal's sentence that says which rule failed.
 */
const MISLEADING_NAMES: readonly (readonly [label: string, raw: string, reason: string])[] = [
  ['a zero-width space', 'Ann\u200B', 'invisible characters (found U+200B)'],
  ['a zero-width non-joiner', 'An\u200Cn', 'invisible characters (found U+200C)'],
  ['a zero-width joiner between letters', 'An\u200Dn', 'invisible characters (found U+200D)'],
  ['a zero-width no-break space inside', 'An\uFEFFn', 'invisible characters (found U+FEFF)'],
  ['a word joiner', 'An\u2060n', 'invisible characters (found U+2060)'],
  ['a soft hyphen', 'An\u00ADn', 'invisible characters (found U+00AD)'],
  ['a combining grapheme joiner', 'An\u034Fn', 'invisible characters (found U+034F)'],
  ['a variation selector after a letter', 'Ann\uFE0F', 'invisible characters (found U+FE0F)'],
  ['a tag character', 'Ann\u{E0041}', 'invisible characters (found U+E0041)'],
  ['a Hangul filler (U+3164)', '\u3164', 'invisible characters (found U+3164)'],
  ['a Hangul choseong filler (U+115F)', '\u115F', 'invisible characters (found U+115F)'],
  ['a Hangul jungseong filler (U+1160)', 'A\u1160', 'invisible characters (found U+1160)'],
  ['a halfwidth Hangul filler (U+FFA0)', '\uFFA0\uFFA0', 'invisible characters (found U+FFA0)'],
  ['a blank braille pattern (U+2800)', '\u2800\u2800', 'invisible characters (found U+2800)'],
  ['a right-to-left override', 'Ann\u202Egnp.exe', 'text-direction controls (found U+202E)'],
  ['a left-to-right embedding', '\u202AAnn', 'text-direction controls (found U+202A)'],
  ['a right-to-left mark', 'Ann\u200F', 'text-direction controls (found U+200F)'],
  ['a first-strong isolate', 'A\u2068nn', 'text-direction controls (found U+2068)'],
  ['a line separator inside', 'An\u2028n', 'line or paragraph separators (found U+2028)'],
  ['a paragraph separator inside', 'An\u2029n', 'line or paragraph separators (found U+2029)'],
  ['only combining marks', '\u0301\u0301', 'a visible character'],
  ['only combining marks and spaces', '\u0301 \u0308', 'a visible character'],
  ['a leading combining mark', '\u0301Ann', 'must not start with a combining mark'],
];

/** Names people really use, emoji included (issue 10 keeps these working). */
const READABLE_NAMES = [
  'Zoë',
  'Zoe\u0308', // the same, with a combining diaeresis
  'José María',
  '김민준',
  'अनुराग',
  'สมชาย',
  'علي',
  'שלום',
  '😀',
  '👨‍👩‍👧', // man, ZWJ, woman, ZWJ, girl
  '❤️', // heart, VS16
  '🏳️‍🌈', // white flag, VS16, ZWJ, rainbow
  '👩🏽‍💻', // woman, skin tone, ZWJ, laptop
  '🐻‍❄️', // bear, ZWJ, snowflake, VS16
  '1️⃣ Ann', // keycap: digit, VS16, enclosing keycap
  'Ann 🎉',
];

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

  for (const [label, raw, reason] of MISLEADING_NAMES) {
    it(`refuses a name holding ${label}, saying so`, () => {
      expect(codeOf(() => parseRoomName(raw))).to.equal('invalid_room_name');
      expect(reasonOf(() => parseRoomName(raw)))
        .to.match(/^a room name /)
        .and.contain(reason);
    });
  }

  it('accepts names in any script, and emoji', () => {
    for (const name of [...READABLE_NAMES, '🎉 Party room']) {
      expect(
        reasonOf(() => parseRoomName(name)),
        name,
      ).to.equal('accepted');
    }
  });
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

  for (const [label, raw, reason] of MISLEADING_NAMES) {
    it(`refuses a nickname holding ${label}, saying so`, () => {
      expect(codeOf(() => parseNickname(raw))).to.equal('invalid_nickname');
      expect(reasonOf(() => parseNickname(raw)))
        .to.match(/^a nickname /)
        .and.contain(reason);
    });
  }

  it('accepts nicknames in any script, and emoji: ZWJ between pictographs, VS16 after one', () => {
    for (const name of READABLE_NAMES) {
      expect(
        reasonOf(() => parseNickname(name)),
        name,
      ).to.equal('accepted');
    }
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
