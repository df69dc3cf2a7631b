import { expect } from 'chai';
import {
  parseMessage,
  parseRegistration,
  renderChatrmLine,
} from '../../../platform/dialects/chatrm-format.js';

// Chatrm's client (lucas-flanagan/chatrm @ b510dc0, client.go:50-53) splits each line it
// receives on "_" after trimming whitespace and prints fields 1 and 2: this is what it shows.
function shown(line: string): { from: string; text: string } {
  const fields = line.trim().split('_');
  if (fields.length < 3) throw new Error(`the client would crash on ${JSON.stringify(line)}`);
  return { from: fields[1] ?? '', text: fields[2] ?? '' };
}

describe('Chatrm format', () => {
  describe('parseRegistration', () => {
    it('takes the name before the first _ (client.go:28 sends NAME_)', () => {
      expect(parseRegistration('alice_')).to.equal('alice');
      expect(parseRegistration('alice_7777_more')).to.equal('alice');
      expect(parseRegistration('_')).to.equal('');
    });

    it('is undefined for a line with no _', () => {
      expect(parseRegistration('alice')).to.equal(undefined);
      expect(parseRegistration('')).to.equal(undefined);
    });
  });

  describe('parseMessage', () => {
    it('reads SRC_DST_TEXT, the text being everything after the second _', () => {
      expect(parseMessage('alice_bob_hi bob')).to.deep.equal({
        source: 'alice',
        destination: 'bob',
        text: 'hi bob',
      });
      expect(parseMessage('alice_bob_under_score text')?.text).to.equal('under_score text');
      expect(parseMessage('alice_bob_')?.text).to.equal('');
    });

    it('is undefined for a line with fewer than two _', () => {
      expect(parseMessage('alice_bob')).to.equal(undefined);
      expect(parseMessage('hello')).to.equal(undefined);
    });
  });

  describe('renderChatrmLine', () => {
    it('writes DST_SRC_TEXT and one LF', () => {
      expect(renderChatrmLine('bob', 'alice', 'hi bob')).to.equal('bob_alice_hi bob\n');
    });

    it('keeps every line to two _ and one LF, so the client shows the whole text and the sender', () => {
      const line = renderChatrmLine('bob', 'a_b', 'one\r\ntwo\rthree\nfour_five\u0007\tsix');
      expect(line.indexOf('\n')).to.equal(line.length - 1);
      expect(line.split('_')).to.have.length(3);
      expect(shown(line)).to.deep.equal({
        from: 'a\uFF3Fb',
        text: 'one two three four\uFF3Ffive\uFFFD\tsix',
      });
    });

    it('shows what a Chatrm client sent (with ＿ for _, less trailing spaces the client trims)', () => {
      for (const text of ['hi', ' spaced ', 'a_b_c', '__', 'ünïcødé 🎉']) {
        const received = parseMessage(`alice_bob_${text}`)?.text ?? '';
        const line = renderChatrmLine('bob', 'alice', received);
        expect(shown(line).text).to.equal(text.trimEnd().replaceAll('_', '\uFF3F'));
      }
    });
  });
});
