import { expect } from 'chai';
import type { MessageDraft } from '../../../business/chat/message.js';
import type { MessageStore } from '../../../business/ports/message-store.js';

/** How the contract gets a store: `reopen` exists for stores that promise durability. */
export interface MessageStoreSubject {
  open(): Promise<MessageStore>;
  reopen?(): Promise<MessageStore>;
  cleanup(): Promise<void>;
}

let counter = 0;

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

    it('keeps every field exactly, whatever the text holds', async () => {
      const text = 'line one\nline "two" \\ ünïcödé 😀 \u2028';
      const stored = await store.append(draft('r1', text, 'Zoë'));
      expect(await store.recent('r1', 1)).to.deep.equal([stored]);
      expect(stored).to.include({ text, participant: 'Zoë', roomId: 'r1', seq: 1 });
    });

    it('refuses appends after close', async () => {
      await store.close();
      let refused = false;
      await store.append(draft('r1', 'late')).catch(() => (refused = true));
      expect(refused).to.equal(true);
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
  });
}
