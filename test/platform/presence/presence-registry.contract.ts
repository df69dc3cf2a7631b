import { expect } from 'chai';
import { nicknameKeys, nicknamesClash } from '../../../business/chat/nickname-keys.js';
import type { Participant } from '../../../business/chat/participant.js';
import type { PresenceRegistry } from '../../../business/ports/presence-registry.js';

/**
 * How the contract gets registries. `node` gives a registry sharing one store with every other
 * node of the same subject (for an in-process registry, the same instance every time; for
 * Redis, a new connection to the same server), so that atomicity is tested across nodes.
 */
export interface PresenceRegistrySubject {
  node(): Promise<PresenceRegistry>;
  cleanup(): Promise<void>;
}

let members = 0;

/** A participant with a fresh member id; joinedAt counts down, so it never explains an order. */
function participant(name: string, origin?: Participant['origin']): Participant {
  const memberId = `m${++members}`;
  return { memberId, name, joinedAt: 1_800_000_000_000 - members, ...(origin && { origin }) };
}

const clash = (a: string, b: string) => nicknamesClash(nicknameKeys(a), nicknameKeys(b));

/** Nicknames that all count as `Ann`: case, width, Cyrillic and Greek lookalikes. */
const ANN_ALIKES = ['ann', 'ANN', 'ＡＮＮ', 'aNn', '\u0410nn', '\u0430nn', '\u0391\u039D\u039D'];

/** The PresenceRegistry port's contract (business/ports/presence-registry.ts). */
export function describePresenceRegistryContract(
  name: string,
  subject: () => Promise<PresenceRegistrySubject>,
): void {
  describe(`PresenceRegistry contract: ${name}`, () => {
    let s: PresenceRegistrySubject;
    let a: PresenceRegistry;
    let b: PresenceRegistry;

    const names = async (roomId: string) => (await a.list(roomId)).map((p) => p.name);

    /** Claims each nickname in turn, expecting every claim to win. */
    async function present(roomId: string, ...nicknames: string[]): Promise<Participant[]> {
      const participants = nicknames.map((nickname) => participant(nickname));
      for (const p of participants) expect(await a.claim(roomId, p), p.name).to.equal(true);
      return participants;
    }

    beforeEach(async () => {
      s = await subject();
      [a, b] = [await s.node(), await s.node()];
    });

    afterEach(() => s.cleanup());

    describe('#claim', () => {
      it('records participants exactly as claimed, listed in the order the claims won', async () => {
        const ann = participant('Ann', { address: '2001:db8::1', port: 40_000 });
        const bob = participant('Bob');
        const zoe = participant('Zoë 🦊', { address: '192.0.2.7', port: 1 });
        expect(await a.claim('r1', ann)).to.equal(true);
        expect(await b.claim('r1', bob)).to.equal(true);
        expect(await a.claim('r1', zoe)).to.equal(true);
        expect(await a.list('r1')).to.deep.equal([ann, bob, zoe]);
        expect(await b.list('r1')).to.deep.equal([ann, bob, zoe]);
      });

      for (const alike of ANN_ALIKES) {
        it(`refuses ${alike} while Ann is present (case, width and lookalikes clash)`, async () => {
          await present('r1', 'Ann');
          expect(await b.claim('r1', participant(alike))).to.equal(false);
          expect(await names('r1')).to.deep.equal(['Ann']);
        });
      }

      it('refuses names that look alike only as written, capitals included', async () => {
        await present('r1', 'Bob', 'Iris');
        expect(await a.claim('r1', participant('\u0412\u041E\u0412'))).to.equal(false); // Cyrillic ВОВ
        expect(await a.claim('r1', participant('lris'))).to.equal(false); // small L
        expect(await names('r1')).to.deep.equal(['Bob', 'Iris']);
      });

      it('accepts names that do not clash', async () => {
        await present('r1', 'Ann', 'John', 'iris', 'bob', 'Jose');
        await present('r1', 'Anna', 'Joan', 'lris', '\u0432\u043E\u0432', 'José');
        expect(await names('r1')).to.have.length(10);
      });

      it("applies the rule per room: one room's nicknames do not bind another's", async () => {
        await present('r1', 'Ann');
        await present('r2', 'ANN');
        expect(await names('r2')).to.deep.equal(['ANN']);
      });

      it('refuses a member id already in the room, whatever the nickname', async () => {
        const ann = (await present('r1', 'Ann'))[0] as Participant;
        expect(await b.claim('r1', { ...ann, name: 'Zed' })).to.equal(false);
        expect(await a.list('r1')).to.deep.equal([ann]);
        await present('r1', 'Zed'); // the refused name was not reserved
      });

      it('lets exactly one of many concurrent claims of clashing nicknames win, on any node', async () => {
        const contenders = ['Ann', ...ANN_ALIKES, ...ANN_ALIKES].map((n) => participant(n));
        const won = await Promise.all(contenders.map((p, i) => (i % 2 ? a : b).claim('r1', p)));
        expect(won.filter(Boolean)).to.have.length(1);
        expect(await a.list('r1')).to.deep.equal([contenders[won.indexOf(true)]]);
      });

      it('lets every one of many concurrent claims of distinct nicknames win', async () => {
        const contenders = Array.from({ length: 40 }, (_, i) => participant(`user${i}`));
        const won = await Promise.all(contenders.map((p, i) => (i % 2 ? a : b).claim('r1', p)));
        expect(won.every(Boolean)).to.equal(true);
        expect(new Set(await names('r1'))).to.deep.equal(new Set(contenders.map((p) => p.name)));
      });
    });

    describe('#rename', () => {
      it('changes the nickname only, keeping the place in join order', async () => {
        const [ann, bob, cy] = await present('r1', 'Ann', 'Bob', 'Cy');
        expect(await b.rename('r1', (bob as Participant).memberId, 'Bea')).to.equal(true);
        expect(await a.list('r1')).to.deep.equal([ann, { ...bob, name: 'Bea' }, cy]);
      });

      it('refuses a nickname that clashes with one another participant holds', async () => {
        const [, bob] = await present('r1', 'Ann', 'Bob');
        for (const taken of ['Ann', ...ANN_ALIKES]) {
          expect(await a.rename('r1', (bob as Participant).memberId, taken), taken).to.equal(false);
        }
        expect(await names('r1')).to.deep.equal(['Ann', 'Bob']);
      });

      it('lets a participant take a variant of its own nickname', async () => {
        const [ann] = await present('r1', 'ann', 'Bob');
        expect(await a.rename('r1', (ann as Participant).memberId, 'ANN')).to.equal(true);
        expect(await names('r1')).to.deep.equal(['ANN', 'Bob']);
      });

      it('frees the old nickname for others', async () => {
        const [ann] = await present('r1', 'Ann');
        expect(await a.rename('r1', (ann as Participant).memberId, 'Zed')).to.equal(true);
        await present('r1', 'ANN');
        expect(await names('r1')).to.deep.equal(['Zed', 'ANN']);
      });

      it('refuses a member who is not in the room, or a room no one is in', async () => {
        const [ann] = await present('r1', 'Ann');
        expect(await a.rename('r1', 'nobody', 'Zed')).to.equal(false);
        expect(await a.rename('r2', (ann as Participant).memberId, 'Zed')).to.equal(false);
        expect(await a.list('r2')).to.deep.equal([]);
        await present('r1', 'Zed');
      });

      it('lets exactly one win among concurrent renames and claims of clashing nicknames', async () => {
        const present3 = await present('r1', 'Ann', 'Bob', 'Cy');
        const ids = present3.map((p) => p.memberId);
        const attempts = [
          a.rename('r1', ids[0] as string, 'Zed'),
          b.rename('r1', ids[1] as string, 'zed'),
          a.claim('r1', participant('ZED')),
          b.claim('r1', participant('ＺＥＤ')),
          b.rename('r1', ids[2] as string, 'zeD'),
        ];
        expect((await Promise.all(attempts)).filter(Boolean)).to.have.length(1);
        const zeds = (await names('r1')).filter((n) => clash(n, 'Zed'));
        expect(zeds).to.have.length(1);
      });
    });

    describe('#setHidden', () => {
      it('marks a participant hidden and visible again, keeping its place and nickname', async () => {
        const [ann, bob] = (await present('r1', 'Ann', 'Bob')) as [Participant, Participant];
        expect(await b.setHidden('r1', ann.memberId, true)).to.equal(true);
        expect(await a.list('r1')).to.deep.equal([{ ...ann, hidden: true }, bob]);
        expect(await a.claim('r1', participant('ann')), 'still taken').to.equal(false);
        expect(await a.setHidden('r1', ann.memberId, false)).to.equal(true);
        expect(await a.list('r1')).to.deep.equal([ann, bob]);
      });

      it('refuses a member who is not in the room, or a room no one is in', async () => {
        const [ann] = (await present('r1', 'Ann')) as [Participant];
        expect(await a.setHidden('r1', 'nobody', true)).to.equal(false);
        expect(await a.setHidden('nowhere', ann.memberId, true)).to.equal(false);
        expect(await a.list('nowhere')).to.deep.equal([]);
      });
    });

    describe('#release', () => {
      it('removes the participant and frees its nickname at once', async () => {
        const [ann] = await present('r1', 'Ann');
        await b.release('r1', (ann as Participant).memberId);
        expect(await a.list('r1')).to.deep.equal([]);
        await present('r1', 'ANN');
      });

      it('keeps the others in join order; who comes back joins last', async () => {
        const [, bob] = await present('r1', 'Ann', 'Bob', 'Cy');
        await a.release('r1', (bob as Participant).memberId);
        expect(await names('r1')).to.deep.equal(['Ann', 'Cy']);
        expect(await a.claim('r1', bob as Participant)).to.equal(true);
        expect(await names('r1')).to.deep.equal(['Ann', 'Cy', 'Bob']);
      });

      it('is a no-op for a member who is not there or a room no one is in', async () => {
        const [ann] = await present('r1', 'Ann');
        await a.release('r1', 'nobody');
        await a.release('nowhere', (ann as Participant).memberId);
        await a.release('r1', (ann as Participant).memberId);
        await a.release('r1', (ann as Participant).memberId);
        expect(await a.list('r1')).to.deep.equal([]);
        expect(await a.list('nowhere')).to.deep.equal([]);
      });
    });

    describe('#list and #counts', () => {
      it('answers [] for a room no one has been in', async () => {
        expect(await a.list('never-used')).to.deep.equal([]);
      });

      it('counts several rooms in one call: one entry per id, 0 when empty or unknown', async () => {
        await present('r1', 'Ann', 'Bob');
        await present('r2', 'Cy');
        const [gone] = await present('r3', 'Dee');
        await a.release('r3', (gone as Participant).memberId);
        const counts = await b.counts(['r1', 'r2', 'r3', 'nowhere', 'r1']);
        expect([...counts.entries()].sort()).to.deep.equal([
          ['nowhere', 0],
          ['r1', 2],
          ['r2', 1],
          ['r3', 0],
        ]);
        expect(await b.counts([])).to.deep.equal(new Map());
      });

      it('keeps rooms apart whatever their ids hold', async () => {
        const ids = ['r1', 'R1', 'r1:x', 'r1 ', 'r*', 'ä', '{r1}', ''];
        for (const [i, id] of ids.entries())
          await present(id, ...Array.from({ length: i + 1 }, (_, n) => `u${n}`));
        const counts = await a.counts(ids);
        expect(ids.map((id) => counts.get(id))).to.deep.equal(ids.map((_, i) => i + 1));
        for (const [i, id] of ids.entries()) expect(await names(id)).to.have.length(i + 1);
      });
    });

    describe('#locate', () => {
      const where = async (name: string) =>
        (await b.locate(name)).map((found) => [found.roomId, found.participant.name]).sort();

      it('finds everyone whose nickname clashes with the name, in every room, on any node', async () => {
        await present('r1', 'Ann', 'Bob');
        await present('r2', 'ANN');
        await present('r3', '\u0410nn', 'Cy');
        expect(await where('ann')).to.deep.equal([
          ['r1', 'Ann'],
          ['r2', 'ANN'],
          ['r3', '\u0410nn'],
        ]);
        expect(await where('Cy')).to.deep.equal([['r3', 'Cy']]);
        expect(await where('Nobody')).to.deep.equal([]);
      });

      it('gives the participant back as claimed', async () => {
        const ann = participant('Ann', { address: '192.0.2.1', port: 9 });
        await a.claim('r1', ann);
        expect(await b.locate('ann')).to.deep.equal([{ roomId: 'r1', participant: ann }]);
      });

      it('follows renames and releases', async () => {
        const [ann] = await present('r1', 'Ann');
        await present('r2', 'Ann');
        expect(await a.rename('r1', (ann as Participant).memberId, 'Anna')).to.equal(true);
        expect(await where('Ann')).to.deep.equal([['r2', 'Ann']]);
        expect(await where('anna')).to.deep.equal([['r1', 'Anna']]);
        await a.release('r1', (ann as Participant).memberId);
        expect(await where('Anna')).to.deep.equal([]);
      });
    });
  });
}
