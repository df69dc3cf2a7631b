import { expect } from 'chai';
import { isChatError } from '../../business/chat/chat-error.js';
import type { ParticipantJoined, ParticipantLeft } from '../../business/chat/room-event.js';
import { PARTICIPANT_LIST_MAX } from '../../business/chat/room-page.js';
import { chatHarness, RecordingOutbox } from './chat-harness.js';

async function codeOf(action: Promise<unknown>): Promise<string | undefined> {
  try {
    await action;
  } catch (error) {
    return isChatError(error) ? error.code : String(error);
  }
  return undefined;
}

/** Lets pending promise callbacks (the async leave) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function presentIn(outbox: RecordingOutbox): (readonly string[] | undefined)[] {
  return outbox.events
    .filter((e): e is ParticipantJoined | ParticipantLeft =>
      ['participant_joined', 'participant_left'].includes(e.type),
    )
    .map((event) => event.present);
}

describe('Hidden participants and the visible list (chattypantz)', () => {
  describe('ChatService#enter with hidden', () => {
    it('announces the hidden joiner, but leaves it out of the lists', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const ann = new RecordingOutbox();
      await chat.enter({ id: room.id }, 'Ann', ann, { hidden: true });
      await chat.enter({ id: room.id }, 'Bob', new RecordingOutbox());
      expect(ann.trace).to.deep.equal(['joined:Ann', 'joined:Bob']);
      expect(presentIn(ann)).to.deep.equal([[], ['Bob']]);
      expect((await rooms.get(room.id)).participants.map((p) => p.name)).to.deep.equal(['Bob']);
    });
  });

  describe('Membership#hide', () => {
    it('hides and shows again, nobody told; the nickname stays taken', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const bob = new RecordingOutbox();
      const ann = await chat.enter({ id: room.id }, 'Ann', new RecordingOutbox());
      await chat.enter({ id: room.id }, 'Bob', bob);
      await ann.hide(true);
      expect(ann.hidden).to.equal(true);
      expect((await rooms.get(room.id)).participants.map((p) => p.name)).to.deep.equal(['Bob']);
      const again = chat.enter({ id: room.id }, 'ANN', new RecordingOutbox());
      expect(await codeOf(again)).to.equal('nickname_taken');
      await ann.hide(false);
      expect(ann.hidden).to.equal(false);
      expect((await rooms.get(room.id)).participants.map((p) => p.name)).to.deep.equal([
        'Ann',
        'Bob',
      ]);
      expect(bob.trace).to.deep.equal(['joined:Bob']);
    });

    it('refuses after leaving with not_in_room', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const ann = await chat.enter({ id: room.id }, 'Ann', new RecordingOutbox());
      await ann.leave('quit');
      expect(await codeOf(ann.hide(true))).to.equal('not_in_room');
    });
  });

  describe('the present list of join and leave events', () => {
    it('is who the room shows right after the join or the leave', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const ann = new RecordingOutbox();
      await chat.enter({ id: room.id }, 'Ann', ann);
      const bob = await chat.enter({ id: room.id }, 'Bob', new RecordingOutbox());
      await bob.leave('quit');
      await settle();
      expect(presentIn(ann)).to.deep.equal([['Ann'], ['Ann', 'Bob'], ['Ann']]);
    });

    it(`is left out in a room of more than ${PARTICIPANT_LIST_MAX}`, async function () {
      this.timeout(20_000);
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Big');
      for (let i = 0; i < PARTICIPANT_LIST_MAX; i++)
        await chat.enter({ id: room.id }, `p${i}`, new RecordingOutbox());
      const last = new RecordingOutbox();
      await chat.enter({ id: room.id }, 'Last', last);
      const own = last.events.find((e) => e.type === 'participant_joined');
      expect(own).to.not.have.property('present');
    });
  });
});
