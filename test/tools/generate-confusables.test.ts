import { expect } from 'chai';
import { parseConfusables, renderModule } from '../../tools/generate-confusables.js';

const SAMPLE = [
  '\uFEFF# confusables.txt',
  '# Date: 2025-07-22, 05:49:37 GMT',
  '# Version: 17.0.0',
  '#',
  '05AD ;\t0596 ;\tMA\t# ( ֭ → ֖ ) HEBREW ACCENT DEHI → HEBREW ACCENT TIPEHA\t# ',
  '',
  '0410 ;\t0041 ;\tMA\t# ( А → A ) CYRILLIC CAPITAL LETTER A → LATIN CAPITAL LETTER A\t# ',
  '006D ;\t0072 006E ;\tMA\t# ( m → rn ) LATIN SMALL LETTER M → LATIN SMALL LETTER R, LATIN SMALL LETTER N\t# ',
  '',
  '# total: 3',
].join('\n');

describe('tools/generate-confusables', () => {
  it('keeps the version, the date and every mapping as hex code points', () => {
    expect(parseConfusables(SAMPLE)).to.deep.equal({
      version: '17.0.0',
      date: '2025-07-22',
      mappings: ['05AD 0596', '0410 0041', '006D 0072 006E'],
    });
  });

  it('refuses a file whose count does not match, or that is not confusables.txt', () => {
    expect(() => parseConfusables(SAMPLE.replace('total: 3', 'total: 4'))).to.throw(/says 4/);
    expect(() => parseConfusables('hello')).to.throw(/not a confusables.txt/);
  });

  it('writes the mappings one a line into a template literal, with the source’s hash', () => {
    const module = renderModule(parseConfusables(SAMPLE), 'abc123');
    expect(module).to.contain('SHA-256 abc123');
    expect(module).to.contain("export const CONFUSABLES_VERSION = '17.0.0';");
    expect(module).to.contain('export const CONFUSABLE_PROTOTYPES = `\n05AD 0596\n0410 0041\n');
  });
});
