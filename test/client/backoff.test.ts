import { expect } from 'chai';
import { Backoff } from '../../client/core/backoff.js';

describe('client Backoff: exponential with full jitter', () => {
  it('doubles the ceiling per attempt up to the maximum, and draws below it', () => {
    const ceilings = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map(() => ceilings.next())).to.deep.equal([
      100, 200, 400, 800, 1000, 1000,
    ]);
    const floor = new Backoff({ initialMs: 100, random: () => 0 });
    expect(floor.next()).to.equal(0);
  });

  it('spreads clients dropped together (random draws give different delays)', () => {
    const delays = Array.from({ length: 20 }, () => new Backoff({ initialMs: 1000 }).next());
    expect(new Set(delays).size).to.be.greaterThan(10);
    expect(Math.max(...delays)).to.be.at.most(1000);
  });

  it('starts over after a reset', () => {
    const backoff = new Backoff({ initialMs: 100, random: () => 0.999999 });
    backoff.next();
    backoff.next();
    expect(backoff.attempt).to.equal(2);
    backoff.reset();
    expect(backoff.next()).to.equal(100);
  });
});
