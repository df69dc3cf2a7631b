import { expect } from 'chai';
import {
  megabytes,
  onOff,
  oneOf,
  OptionValueError,
  orUnset,
  seconds,
  text,
  wholeNumber,
} from '../../../platform/config/option-values.js';

describe('Option values (platform/config/option-values)', () => {
  describe('wholeNumber', () => {
    it('takes whole numbers within its bounds and refuses the rest, saying the bounds', () => {
      const kind = wholeNumber(1, 10);
      expect(kind.parse('7')).to.equal(7);
      for (const bad of ['0', '11', '1.5', '-1', 'x', '', '1e1']) {
        expect(() => kind.parse(bad), bad).to.throw(
          OptionValueError,
          'expected a whole number from 1 to 10.',
        );
      }
    });
  });

  describe('seconds', () => {
    it('reads seconds, fractions too, into milliseconds and shows them back as seconds', () => {
      const kind = seconds({ atLeast: 0 });
      expect(kind.parse('1.5')).to.equal(1500);
      expect(kind.parse('0')).to.equal(0);
      expect(kind.show(25_000)).to.equal('25');
    });

    it('refuses what breaks its rule, saying the rule', () => {
      expect(() => seconds({ above: 0 }).parse('0')).to.throw(
        'expected a number of seconds, above 0.',
      );
      expect(() => seconds({ atLeast: 0 }).parse('-1')).to.throw('at least 0');
      expect(() => seconds({ atLeast: 0 }).parse('soon')).to.throw(OptionValueError);
      expect(() => seconds({ atLeast: 0 }).parse(' ')).to.throw(OptionValueError);
    });
  });

  describe('megabytes', () => {
    it('reads whole MB into bytes and shows bytes back as MB', () => {
      expect(megabytes(100).parse('64')).to.equal(64 * 1024 * 1024);
      expect(megabytes(100).show(64 * 1024 * 1024)).to.equal('64');
      expect(() => megabytes(100).parse('101')).to.throw(OptionValueError);
    });
  });

  describe('onOff', () => {
    it('reads on/true/yes/1 and off/false/no/0 in any case into its two values', () => {
      const kind = onOff('debug', 'info');
      for (const on of ['on', 'TRUE', 'yes', '1']) expect(kind.parse(on), on).to.equal('debug');
      for (const off of ['off', 'False', 'NO', '0']) expect(kind.parse(off), off).to.equal('info');
      expect(kind.show('info')).to.equal('off');
      expect(kind.isSwitch).to.equal(true);
    });

    it('refuses anything else', () => {
      expect(() => onOff(true, false).parse('maybe')).to.throw(
        OptionValueError,
        'expected on or off',
      );
      expect(() => onOff(true, false).parse('')).to.throw(OptionValueError);
    });
  });

  describe('oneOf, text and orUnset', () => {
    it('takes one of its words and names them all when given another', () => {
      expect(oneOf(['file', 'memory']).parse('memory')).to.equal('memory');
      expect(() => oneOf(['file', 'memory']).parse('disk')).to.throw(
        'expected one of file, memory.',
      );
    });

    it('takes any text, empty too, and shows it quoted', () => {
      expect(text.parse('')).to.equal('');
      expect(text.show('./data')).to.equal('"./data"');
    });

    it('shows an unset value as nothing and parses as the kind it wraps', () => {
      const kind = orUnset(wholeNumber(0, 9));
      expect(kind.show(undefined)).to.equal('');
      expect(kind.parse('3')).to.equal(3);
      expect(() => kind.parse('x')).to.throw(OptionValueError);
    });
  });
});
