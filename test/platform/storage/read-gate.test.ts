import { expect } from 'chai';
import { ReadGate } from '../../../platform/storage/file/read-gate.js';

/** A promise the test settles by hand. */
function manual(): { promise: Promise<void>; settle: () => void } {
  let settle = (): void => undefined;
  const promise = new Promise<void>((resolve) => (settle = resolve));
  return { promise, settle };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadGate', () => {
  it('runs reads together, at once, when nothing holds the gate', async () => {
    const gate = new ReadGate();
    const order: string[] = [];
    const first = manual();
    const reads = [
      gate.read(async () => (order.push('a starts'), await first.promise)),
      gate.read(() => Promise.resolve(void order.push('b starts'))),
    ];
    expect(order).to.deep.equal(['a starts', 'b starts']); // both chose what to read, in the caller's turn
    first.settle();
    await Promise.all(reads);
  });

  it('lets a rewrite start only once the reads in flight are done, and holds new reads until it ends', async () => {
    const gate = new ReadGate();
    const order: string[] = [];
    const inFlight = manual();
    const rewriting = manual();
    const read = gate.read(async () => {
      order.push('read 1 starts');
      await inFlight.promise;
      order.push('read 1 ends');
    });
    const rewrite = gate.alone(async () => {
      order.push('rewrite starts');
      await rewriting.promise;
      order.push('rewrite ends');
    });
    const later = gate.read(() => Promise.resolve(void order.push('read 2 starts')));
    await turn();
    expect(order).to.deep.equal(['read 1 starts']);
    expect(gate.busy).to.equal(true);
    inFlight.settle();
    await turn();
    expect(order).to.deep.equal(['read 1 starts', 'read 1 ends', 'rewrite starts']);
    rewriting.settle();
    await Promise.all([read, rewrite, later]);
    expect(order).to.deep.equal([
      'read 1 starts',
      'read 1 ends',
      'rewrite starts',
      'rewrite ends',
      'read 2 starts',
    ]);
    expect(gate.busy).to.equal(false);
  });

  it('opens again after a rewrite fails', async () => {
    const gate = new ReadGate();
    await gate.alone(() => Promise.reject(new Error('disk full'))).catch(() => undefined);
    expect(await gate.read(() => Promise.resolve('read'))).to.equal('read');
  });
});
