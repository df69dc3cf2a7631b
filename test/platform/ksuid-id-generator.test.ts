import { expect } from 'chai';
import KSUID from 'ksuid';
import { incrementBase62, KsuidIdGenerator } from '../../platform/ids/ksuid-id-generator.js';

describe('KsuidIdGenerator', () => {
  it('makes valid, distinct KSUIDs that sort in creation order', () => {
    const ids = new KsuidIdGenerator();
    const made = Array.from({ length: 5000 }, () => ids.next());
    expect(new Set(made).size).to.equal(made.length);
    expect([...made].sort()).to.deep.equal(made);
    for (const id of [made[0], made[1], made.at(-1)]) {
      const parsed = KSUID.parse(id ?? '');
      expect(parsed.string).to.equal(id);
      expect(Math.abs(parsed.date.getTime() - Date.now())).to.be.below(5000);
    }
  });

  it('increments in base62 with carries, keeping the width', () => {
    expect(incrementBase62('00')).to.equal('01');
    expect(incrementBase62('09')).to.equal('0A');
    expect(incrementBase62('0z')).to.equal('10');
    expect(incrementBase62('1zz')).to.equal('200');
  });

  it('adds exactly one to the 160-bit number a KSUID string encodes', () => {
    const base = KSUID.randomSync();
    const next = KSUID.parse(incrementBase62(base.string));
    const asBigInt = (raw: Buffer) => BigInt(`0x${raw.toString('hex')}`);
    expect(asBigInt(next.raw) - asBigInt(base.raw)).to.equal(1n);
  });
});
