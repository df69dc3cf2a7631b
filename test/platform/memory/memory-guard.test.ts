import { expect } from 'chai';
import { silentLogger } from '../../../platform/logging/logger.js';
import { MemoryGuard, type Sheddable } from '../../../platform/memory/memory-guard.js';

/** Connections as the guard sees them: a count, and a record of what it was asked to do. */
class FakeConnections implements Sheddable {
  overloaded = false;
  readonly shedCalls: number[] = [];
  constructor(public size: number) {}

  setOverloaded(on: boolean): void {
    this.overloaded = on;
  }

  shedMostIdle(count: number): number {
    const shed = Math.min(count, this.size);
    this.shedCalls.push(shed);
    this.size -= shed;
    return shed;
  }
}

/** Memory as the guard reads it: live bytes, plus garbage until the next collection. */
class FakeMemory {
  live = 0;
  garbage = 0;
  collections = 0;
  inUse = (): number => (this.live + this.garbage) * 1024 * 1024;
  collect = (): void => {
    this.collections++;
    this.garbage = 0;
  };
}

describe('MemoryGuard', () => {
  const MB = 1024 * 1024;
  const options = {
    highWaterBytes: 100 * MB,
    lowWaterBytes: 85 * MB,
    intervalMs: 1000,
    shedFraction: 0.05,
    collectEveryMs: 0,
  };

  function guarded(connections = new FakeConnections(200), collectEveryMs = 0) {
    const memory = new FakeMemory();
    const guard = new MemoryGuard(
      connections,
      { ...options, collectEveryMs },
      silentLogger(),
      memory,
    );
    return { guard, connections, memory };
  }

  it('does nothing below high water, and collects nothing', () => {
    const { guard, connections, memory } = guarded();
    memory.live = 99;
    guard.check();
    expect(connections.overloaded).to.equal(false);
    expect(connections.shedCalls).to.deep.equal([]);
    expect(memory.collections).to.equal(0);
  });

  it('above high water refuses new clients and sheds a share of them on every check', () => {
    const { guard, connections, memory } = guarded();
    memory.live = 120;
    guard.check();
    expect(connections.overloaded).to.equal(true);
    guard.check();
    expect(connections.shedCalls).to.deep.equal([10, 10]); // 5% of 200, then of 190 (rounded up)
  });

  it('does not mistake garbage for load: a reading above high water is taken again after a collection', () => {
    const { guard, connections, memory } = guarded();
    memory.live = 60;
    memory.garbage = 60;
    guard.check();
    expect(memory.collections).to.equal(1);
    expect(connections.overloaded).to.equal(false);
    expect(connections.shedCalls).to.deep.equal([]);
  });

  it('between the marks stops shedding but keeps refusing; below low water accepts again, even on a quiet server', () => {
    const { guard, connections, memory } = guarded();
    memory.live = 120;
    guard.check();
    memory.live = 90;
    guard.check();
    expect(connections.shedCalls).to.have.length(1);
    expect(connections.overloaded).to.equal(true);
    memory.live = 84;
    memory.garbage = 50; // freed, but not collected yet: the guard collects
    guard.check();
    expect(connections.overloaded).to.equal(false);
  });

  it('collects at most once per collectEveryMs', () => {
    const { guard, memory } = guarded(new FakeConnections(200), 60_000);
    memory.live = 120;
    guard.check();
    guard.check();
    guard.check();
    expect(memory.collections).to.equal(1);
  });

  it('sheds at least one client however few there are', () => {
    const { guard, connections, memory } = guarded(new FakeConnections(3));
    memory.live = 150;
    guard.check();
    expect(connections.shedCalls).to.deep.equal([1]);
  });
});
