import { expect } from 'chai';
import { MessageSearch, type SearchBounds } from '../../business/admin/message-search.js';
import { parseSearchQuery } from '../../business/admin/search-query.js';
import type { Clock } from '../../business/ports/clock.js';
import { MemoryMessageStore } from '../../platform/storage/memory/memory-message-store.js';
import { MemoryRoomRepository } from '../../platform/storage/memory/memory-room-repository.js';

/** A clock that moves on by `step` ms each time it is read. */
class SteppingClock implements Clock {
  constructor(
    private at: number,
    private readonly step: number,
  ) {}

  now(): number {
    this.at += this.step;
    return this.at;
  }
}

const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const ROOMS = ['roomA', 'roomB', 'roomC'];

/** Rooms A, B and C; message i of room r is sent at T0 + 10·i + r (interleaved in time). */
async function seeded(perRoom: number) {
  const rooms = new MemoryRoomRepository();
  const messages = new MemoryMessageStore(10_000);
  for (const [r, id] of ROOMS.entries()) {
    await rooms.add({ id, name: id, createdAt: T0 });
    for (let i = 0; i < perRoom; i++) {
      const sentAt = T0 + 10 * i + r;
      await messages.append({
        id: `${id}-${i}`,
        roomId: id,
        participant: 'Ann',
        text: `${id} says ${i}`,
        sentAt,
      });
    }
  }
  return { rooms, messages };
}

function searchOver(
  deps: Awaited<ReturnType<typeof seeded>>,
  bounds: Partial<SearchBounds> = {},
  clock: Clock = new SteppingClock(T0, 0),
): MessageSearch {
  const all = { maxScannedBytes: 64 * 1024 * 1024, maxMillis: 2000, ...bounds };
  return new MessageSearch({ ...deps, clock }, all);
}

describe('MessageSearch', () => {
  describe('#search', () => {
    it('merges rooms newest first by time', async () => {
      const search = searchOver(await seeded(3));
      const answer = await search.search(parseSearchQuery({ q: 'SAYS' }));
      expect(answer.messages.map((m) => m.id)).to.deep.equal([
        'roomC-2',
        'roomB-2',
        'roomA-2',
        'roomC-1',
        'roomB-1',
        'roomA-1',
        'roomC-0',
        'roomB-0',
        'roomA-0',
      ]);
      expect(answer.truncated).to.equal(false);
      expect(answer.next).to.equal(undefined);
    });

    it('pages with the cursor through every match exactly once, across rooms', async () => {
      const search = searchOver(await seeded(40));
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 100; page++) {
        const answer = await search.search(parseSearchQuery({ limit: '7', cursor }));
        ids.push(...answer.messages.map((m) => m.id));
        cursor = answer.next;
        if (cursor === undefined) break;
      }
      expect(ids).to.have.length(120);
      expect(new Set(ids).size).to.equal(120);
      const everything = await search.search(parseSearchQuery({ limit: '200' }));
      expect(ids).to.deep.equal(everything.messages.map((m) => m.id));
    });

    it('enters each room at `to` and stops at `from`', async () => {
      const search = searchOver(await seeded(100));
      const from = new Date(T0 + 500).toISOString();
      const to = new Date(T0 + 520).toISOString();
      const answer = await search.search(parseSearchQuery({ from, to }));
      expect(answer.messages.map((m) => m.id)).to.deep.equal([
        'roomA-52',
        'roomC-51',
        'roomB-51',
        'roomA-51',
        'roomC-50',
        'roomB-50',
        'roomA-50',
      ]);
      expect(answer.scannedBytes).to.be.below(100 * 3 * 60); // not the whole history
    });

    it('stops when its time is up and says so, with a cursor that goes on', async () => {
      const search = searchOver(await seeded(50), { maxMillis: 100 }, new SteppingClock(T0, 1));
      const first = await search.search(parseSearchQuery({ q: 'nothing matches this' }));
      expect(first.truncated).to.equal(true);
      expect(first.next).to.be.a('string');
    });

    it('matches plain text only: regular-expression characters are literal', async () => {
      const deps = await seeded(1);
      await deps.messages.append({
        id: 'x',
        roomId: 'roomA',
        participant: 'Bo',
        text: 'a+b',
        sentAt: T0 + 99,
      });
      const search = searchOver(deps);
      for (const q of ['a+b', 'A+B']) {
        expect(
          (await search.search(parseSearchQuery({ q }))).messages.map((m) => m.id),
        ).to.deep.equal(['x']);
      }
      expect((await search.search(parseSearchQuery({ q: '(a+)+$' }))).messages).to.deep.equal([]);
    });
  });
});
