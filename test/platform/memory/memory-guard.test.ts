import { expect } from 'chai';
import { silentLogger } from '../../../platform/logging/logger.js';
import {
  MemoryGuard,
  type Sheddable,
  type SheddableClient,
} from '../../../platform/memory/memory-guard.js';

/** Connections as the guard sees them, and a record of how many it shed on each check. */
class FakeConnections implements Sheddable {
  overloaded = false;
  readonly shedCalls: number[] = [];
  readonly shedOrder: number[] = [];
  private clients: SheddableClient[];
  constructor(
    size: number,
    lastHeardAt = (index: number) => index,
    heldBytes = (_index: number) => 0,
  ) {
    this.clients = Array.from({ length: size }, (_, index) =>
      this.client(lastHeardAt(index), heldBytes(index)),
    );
  }

  get size(): number {
    return this.clients.length;
  }

  setOverloaded(on: boolean): void {
    this.overloaded = on;
  }

  sheddableClients(): Iterable<SheddableClient> {
    this.shedCalls.push(0);
    return [...this.clients];
  }

  private client(heardAt: number, heldBytes: number): SheddableClient {
    const client: SheddableClient = {
      lastHeardAt: heardAt,
      heldBytes,
      shed: () => {
        this.clients = this.clients.filter((other) => other !== client);
        this.shedOrder.push(heardAt);
        this.shedCalls[this.shedCalls.length - 1]! += 1;
      },
    };
    return client;
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
      [connections],
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

  it('sheds the most idle clients first, across every transport', () => {
    const websocket = new FakeConnections(10, (index) => 100 + index * 2); // heard at 100, 102, …
    const tcp = new FakeConnections(10, (index) => 101 + index * 2); // heard at 101, 103, …
    const memory = new FakeMemory();
    const guard = new MemoryGuard(
      [websocket, tcp],
      { ...options, shedFraction: 0.2 },
      silentLogger(),
      memory,
    );
    memory.live = 150;
    guard.check();
    expect([...websocket.shedOrder, ...tcp.shedOrder].sort()).to.deep.equal([100, 101, 102, 103]);
    expect(websocket.overloaded && tcp.overloaded).to.equal(true);
  });

  it('sheds the clients holding queued output first, the biggest first, before any idle one', () => {
    // twenty idle bystanders (heard at 0…19, nothing queued) and, heard last, two holders
    const queued = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5 * MB, 50 * MB];
    const connections = new FakeConnections(
      22,
      (index) => index,
      (index) => queued[index] ?? 0,
    );
    const { guard, memory } = guarded(connections);
    memory.live = 150;
    guard.check(); // 5% of 22: two clients
    expect(connections.shedOrder).to.deep.equal([21, 20]);
    guard.check(); // 5% of 20: one, the most idle
    expect(connections.shedOrder).to.deep.equal([21, 20, 0]);
  });

  it('counts a few bytes in flight as nothing: among small queues the most idle go first', () => {
    const connections = new FakeConnections(
      20,
      (index) => index,
      (index) => (19 - index) * 100,
    );
    const { guard, memory } = guarded(connections);
    memory.live = 150;
    guard.check();
    expect(connections.shedOrder).to.deep.equal([0]);
  });

  it('logs a failed reading and carries on (a process out of descriptors must not stop)', () => {
    const connections = new FakeConnections(20);
    let failing = true;
    const probe = {
      inUse: (): number => {
        if (failing)
          throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
        return 150 * MB;
      },
      collect: (): void => undefined,
    };
    const guard = new MemoryGuard([connections], options, silentLogger(), probe);
    expect(() => guard.check()).not.to.throw();
    failing = false;
    guard.check();
    expect(connections.overloaded).to.equal(true);
  });
});
