import { expect } from 'chai';
import { nicknameKeys, nicknamesClash } from '../../business/chat/nickname-keys.js';
import { CONFUSABLES_VERSION } from '../../business/chat/confusable-prototypes.js';
import { skeleton } from '../../business/chat/skeleton.js';

const clash = (a: string, b: string) => nicknamesClash(nicknameKeys(a), nicknameKeys(b));

describe('skeleton (UTS #39)', () => {
  it('maps lookalikes from other scripts and styles to one form, as the standard’s example does', () => {
    expect(skeleton('𝔭𝒶ỿ𝕡𝕒ℓ')).to.equal(skeleton('paypal'));
    expect(skeleton('\u0410nn')).to.equal('Ann'); // Cyrillic А
  });

  it('drops default-ignorable characters, so an emoji with or without VS16 is one', () => {
    expect(skeleton('❤️')).to.equal(skeleton('❤'));
    expect(skeleton('A\u200Bnn')).to.equal(skeleton('Ann'));
  });

  it('is case-sensitive and not for display: m looks like rn, I like l', () => {
    expect(skeleton('mI')).to.equal('rnl');
    expect(skeleton('M')).to.equal('M');
  });

  it('uses the Unicode 17 data', () => {
    expect(CONFUSABLES_VERSION).to.equal('17.0.0');
  });
});

describe('nicknamesClash', () => {
  for (const [a, b, why] of [
    ['John', 'jOHN', 'case'],
    ['ＪＯＨＮ', 'john', 'full width'],
    ['Ann', '\u0410nn', 'a Cyrillic А'],
    ['Ann', '\u0430nn', 'a Cyrillic а'],
    ['Ann', '\u0430NN', 'a Cyrillic а, other capitals'],
    ['Ann', '\u0391\u039D\u039D', 'Greek capitals'],
    ['Bob', '\u0412\u041E\u0412', 'Cyrillic capitals that only look alike as capitals'],
    ['Iris', 'lris', 'a capital I and a small l'],
    ['mary', 'rnary', 'm and rn'],
    ['paypal', '𝔭𝒶ỿ𝕡𝕒ℓ', 'mathematical letters'],
    ['❤️', '❤', 'a variation selector'],
  ] as const) {
    it(`counts ${a} and ${b} as one nickname (${why})`, () => {
      expect(clash(a, b)).to.equal(true);
      expect(clash(b, a)).to.equal(true);
    });
  }

  for (const [a, b] of [
    ['John', 'Joan'],
    ['Ann', 'Anna'],
    ['iris', 'lris'],
    ['\u0432\u043E\u0432', 'bob'], // Cyrillic вов: small в does not look like b
    ['👨‍👩‍👧', '👨‍👩‍👦'],
    ['José', 'Jose'],
  ] as const) {
    it(`keeps ${a} and ${b} apart`, () => {
      expect(clash(a, b)).to.equal(false);
    });
  }

  it('gives a name the same keys each time (they are remembered, not recomputed)', () => {
    expect(nicknameKeys('Ann')).to.equal(nicknameKeys('Ann'));
  });
});
