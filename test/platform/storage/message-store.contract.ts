import { expect } from 'chai';
import type { MessageDraft } from '../../../business/chat/message.js';
import type { MessageStore } from '../../../business/ports/message-store.js';
import { CONTRACT_RETENTION } from '../../support/file-store-options.js';

/** How the contract gets a store: `reopen` exists for stores that promise durability. */
export interface MessageStoreSubject {
  open(): Promise<MessageStore>;
  reopen?(): Promise<MessageStore>;
  cleanup(): Promise<void>;
}

let counter = 0;

/**
 * Room ids every store must keep apart and accept (see isStorableRoomId): a KSUID, the same in
 * lower case, the safe alphabet's punctuation, the shortest and the longest.
 */
export const STORABLE_IDS = [
  '2SzErhA2PvYGjf4PQ4pvTh9BfE0',
  '2szerha2pvygjf4pq4pvth9bfe0',
  'room_1-b',
  '_-',
  'x',
  'y'.repeat(64),
];

/** Room ids no store keeps: empty, too long, or holding a character outside the alphabet. */
export const UNSTORABLE_IDS = [
  '',
  'y'.repeat(65),
  '../r1',
  'r/1',
  'r 1',
  'r.1',
  'r:1',
  'rä',
  'r1\n',
];

/** A draft for the room, with a unique id. */
export function draft(roomId: string, text: string, participant = 'Ann'): MessageDraft {
  return { id: `m${++counter}`, roomId, participant, text, sentAt: 1_700_000_000_000 + counter };
}

/** The MessageStore port's contract (business/ports/message-store.ts), for any implementation. */
export function describeMessageStoreContract(
  name: string,
  durability: 'durable' | 'volatile',
  subject: () => Promise<MessageStoreSubject>,
): void {
  describe(`MessageStore contract: ${name}`, () => {
    let s: MessageStoreSubject;
    let store: MessageStore;

    beforeEach(async () => {
      s = await subject();
      store = await s.open();
    });

    afterEach(async () => {
      await store.close();
      await s.cleanup();
    });

    it('gives a room seqs 1, 2, 3… in append order', async () => {
      const seqs = [];
      for (const text of ['a', 'b', 'c']) seqs.push((await store.append(draft('r1', text))).seq);
      expect(seqs).to.deep.equal([1, 2, 3]);
    });

    it('numbers each room on its own', async () => {
      await store.append(draft('r1', 'a'));
      await store.append(draft('r1', 'b'));
      expect((await store.append(draft('r2', 'x'))).seq).to.equal(1);
    });

    it('assigns seqs in call order to appends made together, resolving in seq order', async () => {
      const resolved: number[] = [];
      const appends = Array.from({ length: 50 }, (_, i) =>
        store.append(draft('r1', `m${i}`)).then((m) => (resolved.push(m.seq), m)),
      );
      const messages = await Promise.all(appends);
      expect(messages.map((m) => m.text)).to.deep.equal(messages.map((_, i) => `m${i}`));
      expect(messages.map((m) => m.seq)).to.deep.equal(messages.map((_, i) => i + 1));
      expect(resolved).to.deep.equal(messages.map((_, i) => i + 1));
    });

    it('returns up to `limit` most recent messages, oldest first', async () => {
      for (const text of ['a', 'b', 'c', 'd']) await store.append(draft('r1', text));
      expect((await store.recent('r1', 2)).map((m) => m.text)).to.deep.equal(['c', 'd']);
      expect((await store.recent('r1', 10)).map((m) => m.seq)).to.deep.equal([1, 2, 3, 4]);
    });

    it('returns [] for an unknown room or a limit of 0', async () => {
      await store.append(draft('r1', 'a'));
      expect(await store.recent('never-used', 5)).to.deep.equal([]);
      expect(await store.recent('r1', 0)).to.deep.equal([]);
    });

    it('pages history by seq: newest last, reading back with before, forward with after', async () => {
      for (let i = 1; i <= 10; i++) await store.append(draft('r1', `t${i}`));
      const seqs = async (query: { after?: number; before?: number; limit: number }) =>
        (await store.page('r1', query)).map((m) => m.seq);
      expect(await seqs({ limit: 3 })).to.deep.equal([8, 9, 10]);
      expect(await seqs({ before: 8, limit: 3 })).to.deep.equal([5, 6, 7]);
      expect(await seqs({ before: 3, limit: 5 })).to.deep.equal([1, 2]);
      expect(await seqs({ after: 2, limit: 3 })).to.deep.equal([3, 4, 5]);
      expect(await seqs({ after: 2, before: 5, limit: 10 })).to.deep.equal([3, 4]);
      expect(await seqs({ after: 10, limit: 10 })).to.deep.equal([]);
      expect(await store.page('never-used', { limit: 5 })).to.deep.equal([]);
      expect((await store.page('r1', { after: 8, limit: 1 }))[0]).to.include({ text: 't9' });
    });

    it('keeps at least the last `retention` messages, contiguous, and at most about twice that', async () => {
      const total = CONTRACT_RETENTION * 5;
      for (let i = 1; i <= total; i++) await store.append(draft('r1', `t${i}`));
      const kept = (await store.page('r1', { limit: 1000 })).map((m) => m.seq);
      expect(kept.length).to.be.within(CONTRACT_RETENTION, 2 * CONTRACT_RETENTION + 16);
      expect(kept.at(-1)).to.equal(total);
      expect(kept).to.deep.equal(kept.map((_, i) => total - kept.length + 1 + i));
      expect((await store.append(draft('r1', 'next'))).seq).to.equal(total + 1);
    });

    it('keeps every field exactly, whatever the text holds', async () => {
      const text = 'line one\nline "two" \\ ünïcödé 😀 \u2028';
      const stored = await store.append(draft('r1', text, 'Zoë'));
      expect(await store.recent('r1', 1)).to.deep.equal([stored]);
      expect(stored).to.include({ text, participant: 'Zoë', roomId: 'r1', seq: 1 });
    });

    it('stores every storable room id, keeping ids that differ only in case apart', async () => {
      for (const [i, id] of STORABLE_IDS.entries()) {
        for (let n = 0; n <= i; n++) await store.append(draft(id, `${id}:${n}`));
      }
      for (const [i, id] of STORABLE_IDS.entries()) {
        const texts = (await store.recent(id, 100)).map((m) => m.text);
        expect(texts, id).to.deep.equal(texts.map((_, n) => `${id}:${n}`));
        expect(texts).to.have.length(i + 1);
        expect(await store.page(id, { limit: 100 })).to.have.length(i + 1);
      }
    });

    it('refuses to append to a room id outside the rule, and reads [] for one', async () => {
      await store.append(draft('r1', 'kept'));
      for (const id of UNSTORABLE_IDS) {
        let refused = false;
        await store.append(draft(id, 'refused')).catch(() => (refused = true));
        expect(refused, JSON.stringify(id)).to.equal(true);
        expect(await store.recent(id, 10)).to.deep.equal([]);
        expect(await store.page(id, { limit: 10 })).to.deep.equal([]);
      }
      expect((await store.append(draft('r1', 'next'))).seq).to.equal(2);
    });

    it('refuses appends and reads after close', async () => {
      await store.append(draft('r1', 'a'));
      await store.close();
      const calls = [
        store.append(draft('r1', 'late')),
        store.recent('r1', 10),
        store.page('r1', { limit: 10 }),
      ];
      const settled = await Promise.allSettled(calls);
      expect(settled.map((result) => result.status)).to.deep.equal(calls.map(() => 'rejected'));
    });

    describe('#remove', () => {
      it("deletes the room's history and refuses its later appends; other rooms keep theirs", async () => {
        for (const text of ['a', 'b']) await store.append(draft('r1', text));
        await store.append(draft('r2', 'kept'));
        await store.remove('r1');
        expect(await store.recent('r1', 10)).to.deep.equal([]);
        expect(await store.page('r1', { limit: 10 })).to.deep.equal([]);
        let refused = false;
        await store.append(draft('r1', 'late')).catch(() => (refused = true));
        expect(refused).to.equal(true);
        expect((await store.recent('r2', 10)).map((m) => m.text)).to.deep.equal(['kept']);
      });

      it('resolves for a room with no history', async () => {
        await store.remove('never-used');
        expect(await store.recent('never-used', 10)).to.deep.equal([]);
      });

      if (durability === 'durable')
        it('keeps the history deleted across a reopen', async () => {
          if (s.reopen === undefined) throw new Error('a durable subject must be reopenable');
          for (const text of ['a', 'b']) await store.append(draft('r1', text));
          await store.remove('r1');
          await store.close();
          store = await s.reopen();
          expect(await store.recent('r1', 10)).to.deep.equal([]);
          expect(await store.page('r1', { limit: 10 })).to.deep.equal([]);
        });
    });

    if (durability === 'durable')
      it('keeps history and the seq counter across a reopen', async () => {
        if (s.reopen === undefined) throw new Error('a durable subject must be reopenable');
        for (const text of ['a', 'b']) await store.append(draft('r1', text));
        await store.close();
        store = await s.reopen();
        expect((await store.recent('r1', 10)).map((m) => m.text)).to.deep.equal(['a', 'b']);
        expect((await store.append(draft('r1', 'c'))).seq).to.equal(3);
      });

    if (durability === 'durable')
      it('keeps every storable room id apart across a reopen', async () => {
        if (s.reopen === undefined) throw new Error('a durable subject must be reopenable');
        for (const id of STORABLE_IDS) await store.append(draft(id, id));
        await store.close();
        store = await s.reopen();
        for (const id of STORABLE_IDS) {
          expect((await store.recent(id, 10)).map((m) => m.text)).to.deep.equal([id]);
        }
      });

    if (durability === 'durable')
      it('keeps the retention window and the seq counter across a reopen after compaction', async () => {
        if (s.reopen === undefined) throw new Error('a durable subject must be reopenable');
        const total = CONTRACT_RETENTION * 3 + 7;
        for (let i = 1; i <= total; i++) await store.append(draft('r1', `t${i}`));
        await store.close();
        store = await s.reopen();
        const kept = (await store.page('r1', { limit: 1000 })).map((m) => m.seq);
        expect(kept.length).to.be.at.least(CONTRACT_RETENTION);
        expect(kept.at(-1)).to.equal(total);
        expect(kept).to.deep.equal(kept.map((_, i) => total - kept.length + 1 + i));
        expect((await store.append(draft('r1', 'after'))).seq).to.equal(total + 1);
      });
  });
}
