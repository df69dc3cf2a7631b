import { expect } from 'chai';
import { FLOOD_REFUSALS, FLOOD_WINDOW_MS, InputRate } from '../../business/chat/input-rate.js';

describe('InputRate (the per-connection token bucket)', () => {
  function rate(perSecond: number, burst: number) {
    let now = 1000;
    const bucket = new InputRate({ perSecond, burst }, () => now);
    return { bucket, advance: (ms: number) => (now += ms) };
  }

  it('takes a burst at once, then refuses until the bucket refills at the rate', () => {
    const { bucket, advance } = rate(5, 3);
    expect([bucket.take(), bucket.take(), bucket.take()]).to.deep.equal([
      'taken',
      'taken',
      'taken',
    ]);
    expect(bucket.take()).to.equal('limited');
    advance(199);
    expect(bucket.take(), 'less than one token back').to.equal('limited');
    advance(1);
    expect(bucket.take(), '200 ms at 5/s: one token').to.equal('taken');
    advance(10_000);
    const burst = [bucket.take(), bucket.take(), bucket.take(), bucket.take()];
    expect(burst, 'the bucket never holds more than the burst').to.deep.equal([
      'taken',
      'taken',
      'taken',
      'limited',
    ]);
  });

  it(`calls ${FLOOD_REFUSALS} refusals within ${FLOOD_WINDOW_MS} ms flooding, and fewer or slower ones only limited`, () => {
    const { bucket } = rate(0.001, 1);
    expect(bucket.take()).to.equal('taken');
    const verdicts = Array.from({ length: FLOOD_REFUSALS }, () => bucket.take());
    expect(verdicts.slice(0, -1).every((verdict) => verdict === 'limited')).to.equal(true);
    expect(verdicts.at(-1)).to.equal('flooding');

    const slow = rate(0.001, 1);
    slow.bucket.take();
    const spread = Array.from({ length: 3 * FLOOD_REFUSALS }, () => {
      slow.advance(FLOOD_WINDOW_MS / (FLOOD_REFUSALS - 1) + 1);
      return slow.bucket.take();
    });
    expect(
      spread.every((verdict) => verdict === 'limited'),
      'refused now and then',
    ).to.equal(true);
  });

  it('is off at 0 per second: everything is taken', () => {
    const { bucket } = rate(0, 10);
    expect(bucket.isOff).to.equal(true);
    for (let i = 0; i < 1000; i++) expect(bucket.take()).to.equal('taken');
  });

  it('refuses with rate_limited, then flooding, saying the limit', () => {
    const { bucket } = rate(5, 10);
    expect(bucket.refusal('taken')).to.equal(undefined);
    expect(bucket.refusal('limited')).to.include({ code: 'rate_limited' });
    expect(bucket.refusal('limited')?.message).to.contain('5 per second after a burst of 10');
    expect(bucket.refusal('flooding')).to.include({ code: 'flooding' });
  });
});
