import { expect } from 'chai';
import type { RoomRepository } from '../../../business/ports/room-repository.js';
import { STORABLE_IDS, UNSTORABLE_IDS } from './message-store.contract.js';

/** How the contract gets a repository: `reopen` exists for durable ones. */
export interface RoomRepositorySubject {
  open(): Promise<RoomRepository>;
  reopen?(): Promise<RoomRepository>;
  cleanup(): Promise<void>;
}

/** The RoomRepository port's contract (business/ports/room-repository.ts). */
export function describeRoomRepositoryContract(
  name: string,
  durability: 'durable' | 'volatile',
  subject: () => Promise<RoomRepositorySubject>,
): void {
  describe(`RoomRepository contract: ${name}`, () => {
    let s: RoomRepositorySubject;
    let rooms: RoomRepository;
    const lobby = {
      id: '2SzErhA2PvYGjf4PQ4pvTh9BfE0',
      name: 'Lobby',
      createdAt: 1_700_000_000_000,
    };
    const den = { id: '2SzErhA2PvYGjf4PQ4pvTh9BfE1', name: 'Den 🦊', createdAt: 1_700_000_001_000 };

    beforeEach(async () => {
      s = await subject();
      rooms = await s.open();
    });

    afterEach(async () => {
      await rooms.close();
      await s.cleanup();
    });

    it('finds a room by id once added', async () => {
      await rooms.add(lobby);
      expect(await rooms.get(lobby.id)).to.deep.equal(lobby);
    });

    it('answers undefined for an unknown id, whatever the string', async () => {
      expect(await rooms.get('missing')).to.equal(undefined);
      expect(await rooms.get('../../etc/passwd')).to.equal(undefined);
    });

    it('lists rooms oldest first', async () => {
      await rooms.add(lobby);
      await rooms.add(den);
      expect(await rooms.list()).to.deep.equal([lobby, den]);
    });

    it('counts rooms', async () => {
      expect(await rooms.count()).to.equal(0);
      await rooms.add(lobby);
      await rooms.add(den);
      await rooms.add(lobby).catch(() => undefined); // refused: not counted
      expect(await rooms.count()).to.equal(2);
    });

    it('refuses a second room with the same id and keeps the first', async () => {
      await rooms.add(lobby);
      let refused = false;
      await rooms.add({ ...lobby, name: 'Impostor' }).catch(() => (refused = true));
      expect(refused).to.equal(true);
      expect(await rooms.get(lobby.id)).to.deep.equal(lobby);
    });

    it('stores a room under every storable id, keeping ids that differ only in case apart', async () => {
      const all = STORABLE_IDS.map((id, i) => ({ id, name: `n${i}`, createdAt: i }));
      for (const room of all) await rooms.add(room);
      for (const room of all) expect(await rooms.get(room.id)).to.deep.equal(room);
      expect(await rooms.list()).to.deep.equal(all);
    });

    it('refuses a room whose id is outside the rule, and stores nothing', async () => {
      for (const id of UNSTORABLE_IDS) {
        let refused = false;
        await rooms.add({ ...lobby, id }).catch(() => (refused = true));
        expect(refused, JSON.stringify(id)).to.equal(true);
        expect(await rooms.get(id)).to.equal(undefined);
      }
      expect(await rooms.count()).to.equal(0);
      expect(await rooms.findByName(lobby.name)).to.equal(undefined);
      await rooms.add(lobby);
      expect(await rooms.list()).to.deep.equal([lobby]);
    });

    it('refuses every call after close', async () => {
      await rooms.add(lobby);
      await rooms.close();
      const calls = [
        rooms.add(den),
        rooms.get(lobby.id),
        rooms.findByName(lobby.name),
        rooms.list(),
        rooms.count(),
        rooms.remove(lobby.id),
      ];
      const settled = await Promise.allSettled(calls);
      expect(settled.map((result) => result.status)).to.deep.equal(calls.map(() => 'rejected'));
    });

    it('finds the oldest room with a name, compared as comparisonKey compares (case, width)', async () => {
      const shouting = {
        id: '2SzErhA2PvYGjf4PQ4pvTh9BfE2',
        name: 'LOBBY',
        createdAt: 1_700_000_002_000,
      };
      await rooms.add(lobby);
      await rooms.add(shouting);
      expect(await rooms.findByName('lobby')).to.deep.equal(lobby);
      expect(await rooms.findByName('ＬＯＢＢＹ')).to.deep.equal(lobby);
      expect(await rooms.findByName('den 🦊')).to.equal(undefined);
      await rooms.add(den);
      expect(await rooms.findByName('DEN 🦊')).to.deep.equal(den);
    });

    it('answers undefined for a name no room has, whatever the string', async () => {
      await rooms.add(lobby);
      expect(await rooms.findByName('')).to.equal(undefined);
      expect(await rooms.findByName('Lobby ')).to.equal(undefined);
      expect(await rooms.findByName(lobby.id)).to.equal(undefined);
      await rooms.add({ ...lobby, name: 'Impostor' }).catch(() => undefined); // refused
      expect(await rooms.findByName('Impostor')).to.equal(undefined);
    });

    describe('#remove', () => {
      it('deletes a room: get, findByName, list and count no longer see it', async () => {
        await rooms.add(lobby);
        await rooms.add(den);
        expect(await rooms.remove(lobby.id)).to.equal(true);
        expect(await rooms.get(lobby.id)).to.equal(undefined);
        expect(await rooms.findByName('Lobby')).to.equal(undefined);
        expect(await rooms.list()).to.deep.equal([den]);
        expect(await rooms.count()).to.equal(1);
      });

      it('answers false for an id no room has, changing nothing', async () => {
        await rooms.add(lobby);
        expect(await rooms.remove('missing')).to.equal(false);
        expect(await rooms.remove('../../etc/passwd')).to.equal(false);
        expect(await rooms.list()).to.deep.equal([lobby]);
      });

      it('never takes a deleted id again, but frees its name', async () => {
        await rooms.add(lobby);
        await rooms.remove(lobby.id);
        let refused = false;
        await rooms.add({ ...lobby, name: 'Again' }).catch(() => (refused = true));
        expect(refused).to.equal(true);
        const again = { ...den, name: 'lobby' };
        await rooms.add(again);
        expect(await rooms.findByName('Lobby')).to.deep.equal(again);
        expect(await rooms.remove(lobby.id)).to.equal(false);
      });

      it('hands the name to the next oldest room that has it', async () => {
        const second = { ...den, name: 'LOBBY' };
        await rooms.add(lobby);
        await rooms.add(second);
        await rooms.remove(lobby.id);
        expect(await rooms.findByName('lobby')).to.deep.equal(second);
      });

      if (durability === 'durable')
        it('keeps the room deleted and its id refused across a reopen', async () => {
          if (s.reopen === undefined) throw new Error('a durable subject must be reopenable');
          await rooms.add(lobby);
          await rooms.add(den);
          await rooms.remove(lobby.id);
          await rooms.close();
          rooms = await s.reopen();
          expect(await rooms.get(lobby.id)).to.equal(undefined);
          expect(await rooms.findByName('Lobby')).to.equal(undefined);
          expect(await rooms.list()).to.deep.equal([den]);
          let refused = false;
          await rooms.add(lobby).catch(() => (refused = true));
          expect(refused).to.equal(true);
        });
    });

    if (durability === 'durable')
      it('finds rooms by name after a reopen, the oldest still first', async () => {
        if (s.reopen === undefined) throw new Error('a durable subject must be reopenable');
        await rooms.add(lobby);
        await rooms.add({ ...den, name: 'lobby' });
        await rooms.close();
        rooms = await s.reopen();
        expect(await rooms.findByName('LOBBY')).to.deep.equal(lobby);
      });

    if (durability === 'durable')
      it('keeps a room under every storable id across a reopen, and none under others', async () => {
        if (s.reopen === undefined) throw new Error('a durable subject must be reopenable');
        const all = STORABLE_IDS.map((id, i) => ({ id, name: `n${i}`, createdAt: i }));
        for (const room of all) await rooms.add(room);
        for (const id of UNSTORABLE_IDS) await rooms.add({ ...lobby, id }).catch(() => undefined);
        await rooms.close();
        rooms = await s.reopen();
        expect(await rooms.list()).to.deep.equal(all);
      });

    if (durability === 'durable')
      it('keeps rooms across a reopen', async () => {
        if (s.reopen === undefined) throw new Error('a durable subject must be reopenable');
        await rooms.add(lobby);
        await rooms.add(den);
        await rooms.close();
        rooms = await s.reopen();
        expect(await rooms.list()).to.deep.equal([lobby, den]);
      });
  });
}
