import { expect } from 'chai';
import { RoomService } from '../../business/chat/room-service.js';
import { isChatError } from '../../business/chat/chat-error.js';
import type { MessageStore } from '../../business/ports/message-store.js';
import type { RoomRepository } from '../../business/ports/room-repository.js';
import { MemoryPresenceRegistry } from '../../platform/presence/memory-presence-registry.js';
import { MemoryMessageStore } from '../../platform/storage/memory/memory-message-store.js';
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

describe('ChatService', () => {
  describe('#join', () => {
    it('announces the joiner to everyone in the room, the joiner included', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const ann = new RecordingOutbox();
      const bob = new RecordingOutbox();
      await chat.join(room.id, 'Ann', ann);
      await chat.join(room.id, 'Bob', bob);
      expect(ann.trace).to.deep.equal(['joined:Ann', 'joined:Bob']);
      expect(bob.trace).to.deep.equal(['joined:Bob']);
    });

    it('replays the last N messages to the joiner only, oldest first, before its join', async () => {
      const { chat, rooms } = chatHarness({}, 2);
      const room = await rooms.create('Lobby');
      const ann = await chat.join(room.id, 'Ann', new RecordingOutbox());
      for (const text of ['one', 'two', 'three']) await ann.say(text);
      const bob = new RecordingOutbox();
      await chat.join(room.id, 'Bob', bob);
      expect(bob.trace).to.deep.equal(['replayed:2:two', 'replayed:3:three', 'joined:Bob']);
    });

    it('replays nothing when history on join is 0', async () => {
      const { chat, rooms } = chatHarness({}, 0);
      const room = await rooms.create('Lobby');
      await (await chat.join(room.id, 'Ann', new RecordingOutbox())).say('hello');
      const bob = new RecordingOutbox();
      await chat.join(room.id, 'Bob', bob);
      expect(bob.trace).to.deep.equal(['joined:Bob']);
    });

    it('delivers messages that race the history read exactly once, in seq order', async () => {
      const inner = new MemoryMessageStore(100);
      let historyGate = Promise.resolve();
      const slowHistory: MessageStore = {
        append: (draft) => inner.append(draft),
        recent: async (roomId, limit) => {
          await historyGate;
          return inner.recent(roomId, limit);
        },
        page: (roomId, query) => inner.page(roomId, query),
        remove: (roomId) => inner.remove(roomId),
        close: () => inner.close(),
      };
      const { chat, rooms } = chatHarness({ messages: slowHistory });
      const room = await rooms.create('Lobby');
      const ann = await chat.join(room.id, 'Ann', new RecordingOutbox());
      await ann.say('before');

      let openGate = (): void => undefined;
      historyGate = new Promise((resolve) => (openGate = resolve));
      const bob = new RecordingOutbox();
      const bobJoined = chat.join(room.id, 'Bob', bob);
      await settle(); // Bob is attached, his history read is waiting
      await ann.say('during'); // will be in Bob's history AND reach him live
      openGate();
      await bobJoined;
      await ann.say('after');
      expect(bob.trace).to.deep.equal([
        'replayed:1:before',
        'replayed:2:during',
        'joined:Bob',
        'message:3:after',
      ]);
    });

    it('refuses an unknown room with room_not_found', async () => {
      const { chat } = chatHarness();
      expect(await codeOf(chat.join('nope', 'Ann', new RecordingOutbox()))).to.equal(
        'room_not_found',
      );
    });

    it('refuses an invalid nickname with invalid_nickname', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      expect(await codeOf(chat.join(room.id, '@Ann', new RecordingOutbox()))).to.equal(
        'invalid_nickname',
      );
    });

    it('refuses a nickname already in the room, whatever its case, and leaves the holder alone', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const first = new RecordingOutbox();
      await chat.join(room.id, 'Ann', first);
      expect(await codeOf(chat.join(room.id, 'ANN', new RecordingOutbox()))).to.equal(
        'nickname_taken',
      );
      expect(first.trace).to.deep.equal(['joined:Ann']);
      expect((await rooms.get(room.id)).participants.map((p) => p.name)).to.deep.equal(['Ann']);
    });

    it('refuses a lookalike of a nickname in the room: Аnn (Cyrillic А) where Ann is', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      await chat.join(room.id, 'Ann', new RecordingOutbox());
      for (const lookalike of ['\u0410nn', '\u0430nn', 'ＡＮＮ', '\u0391\u039D\u039D']) {
        expect(
          await codeOf(chat.join(room.id, lookalike, new RecordingOutbox())),
          lookalike,
        ).to.equal('nickname_taken');
      }
      expect((await rooms.get(room.id)).participants.map((p) => p.name)).to.deep.equal(['Ann']);
    });

    it('refuses a name that looks the same only in capitals: ВОВ (Cyrillic) where Bob is', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      await chat.join(room.id, 'Bob', new RecordingOutbox());
      expect(
        await codeOf(chat.join(room.id, '\u0412\u041E\u0412', new RecordingOutbox())),
      ).to.equal('nickname_taken');
    });

    it('frees the nickname the moment its holder leaves', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      await (await chat.join(room.id, 'Ann', new RecordingOutbox())).leave('quit');
      expect(await codeOf(chat.join(room.id, 'Ann', new RecordingOutbox()))).to.equal(undefined);
    });
  });

  describe('Membership#say', () => {
    it('stores the message with the next seq and delivers it to everyone, the sender included', async () => {
      const { chat, rooms, deps } = chatHarness();
      const room = await rooms.create('Lobby');
      const annBox = new RecordingOutbox();
      const bobBox = new RecordingOutbox();
      const ann = await chat.join(room.id, 'Ann', annBox);
      await chat.join(room.id, 'Bob', bobBox);
      const message = await ann.say('hello');
      expect(message).to.include({ seq: 1, text: 'hello', participant: 'Ann', roomId: room.id });
      expect(await deps.messages.recent(room.id, 10)).to.deep.equal([message]);
      expect(annBox.trace.at(-1)).to.equal('message:1:hello');
      expect(bobBox.trace.at(-1)).to.equal('message:1:hello');
    });

    it('gives concurrent messages consecutive seqs and delivers them to all in seq order', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const boxes = [new RecordingOutbox(), new RecordingOutbox(), new RecordingOutbox()];
      const members = await Promise.all(boxes.map((box, i) => chat.join(room.id, `p${i}`, box)));
      await Promise.all(
        members.flatMap((member, i) => [1, 2, 3].map((n) => member.say(`${i}.${n}`))),
      );
      for (const box of boxes) {
        const seqs = box.events.flatMap((e) =>
          e.type === 'message_posted' ? [e.message.seq] : [],
        );
        expect(seqs).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      }
    });

    it('refuses a blank message with empty_message and stores nothing', async () => {
      const { chat, rooms, deps } = chatHarness();
      const room = await rooms.create('Lobby');
      const ann = await chat.join(room.id, 'Ann', new RecordingOutbox());
      expect(await codeOf(ann.say('   '))).to.equal('empty_message');
      expect(await deps.messages.recent(room.id, 10)).to.deep.equal([]);
    });

    it('reports storage_unavailable and delivers nothing when the store fails', async () => {
      const inner = new MemoryMessageStore(10);
      const failing: MessageStore = {
        append: () => Promise.reject(new Error('disk full')),
        recent: (roomId, limit) => inner.recent(roomId, limit),
        page: (roomId, query) => inner.page(roomId, query),
        remove: (roomId) => inner.remove(roomId),
        close: () => inner.close(),
      };
      const { chat, rooms } = chatHarness({ messages: failing });
      const room = await rooms.create('Lobby');
      const box = new RecordingOutbox();
      const ann = await chat.join(room.id, 'Ann', box);
      expect(await codeOf(ann.say('lost?'))).to.equal('storage_unavailable');
      expect(box.trace).to.deep.equal(['joined:Ann']);
    });

    it('refuses to speak after leaving with not_in_room', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const ann = await chat.join(room.id, 'Ann', new RecordingOutbox());
      await ann.leave('quit');
      expect(await codeOf(ann.say('hello?'))).to.equal('not_in_room');
    });
  });

  describe('Membership#rename', () => {
    it('answers invalid_command for the name already held, and announces nothing', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const ann = await chat.join(room.id, 'Ann', new RecordingOutbox());
      const bobBox = new RecordingOutbox();
      await chat.join(room.id, 'Bob', bobBox);
      expect(await codeOf(ann.rename(' Ann '))).to.equal('invalid_command');
      expect(bobBox.trace).to.deep.equal(['joined:Bob']);
      expect(ann.name).to.equal('Ann');
    });

    it('counts the same name in another Unicode form (é as e + accent) as the name already held', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const jose = await chat.join(room.id, 'Jos\u00E9', new RecordingOutbox());
      expect(await codeOf(jose.rename('Jose\u0301'))).to.equal('invalid_command');
    });

    it('takes a change of case only as a real rename', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const ann = await chat.join(room.id, 'ann', new RecordingOutbox());
      const bobBox = new RecordingOutbox();
      await chat.join(room.id, 'Bob', bobBox);
      await ann.rename('Ann');
      expect(bobBox.trace).to.deep.equal(['joined:Bob', 'renamed:ann>Ann']);
    });

    it('refuses a lookalike of someone else in the room with nickname_taken', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      await chat.join(room.id, 'Ann', new RecordingOutbox());
      const bob = await chat.join(room.id, 'Bob', new RecordingOutbox());
      expect(await codeOf(bob.rename('\u0410nn'))).to.equal('nickname_taken');
      expect(bob.name).to.equal('Bob');
    });
  });

  describe('Membership#whisper', () => {
    it('finds the recipient under a lookalike of their nickname, and names them as they spell it', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const annBox = new RecordingOutbox();
      await chat.join(room.id, 'Ann', annBox);
      const bob = await chat.join(room.id, 'Bob', new RecordingOutbox());
      expect(await bob.whisper('\u0410NN', 'psst')).to.equal('Ann');
      expect(annBox.trace.at(-1)).to.equal('private:Bob>Ann:psst');
    });
  });

  describe('Membership#leave', () => {
    it('tells the others once, with the reason, however often it is called', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const ann = await chat.join(room.id, 'Ann', new RecordingOutbox());
      const bobBox = new RecordingOutbox();
      await chat.join(room.id, 'Bob', bobBox);
      await Promise.all([ann.leave('ping_timeout'), ann.leave('quit')]);
      await ann.leave('quit');
      const left = bobBox.events.filter((e) => e.type === 'participant_left');
      expect(left).to.have.length(1);
      expect(left[0]).to.include({ participant: 'Ann', reason: 'ping_timeout' });
    });

    it('still tells the others when releasing the nickname fails', async () => {
      const presence = new MemoryPresenceRegistry();
      presence.release = () => Promise.reject(new Error('presence store down'));
      const { chat, rooms } = chatHarness({ presence });
      const room = await rooms.create('Lobby');
      const ann = await chat.join(room.id, 'Ann', new RecordingOutbox());
      const bobBox = new RecordingOutbox();
      await chat.join(room.id, 'Bob', bobBox);
      expect(await codeOf(ann.leave('quit'))).to.equal('Error: presence store down');
      expect(bobBox.trace.at(-1)).to.equal('left:Ann');
    });

    it('stops delivery to the member who left', async () => {
      const { chat, rooms } = chatHarness();
      const room = await rooms.create('Lobby');
      const annBox = new RecordingOutbox();
      const ann = await chat.join(room.id, 'Ann', annBox);
      const bob = await chat.join(room.id, 'Bob', new RecordingOutbox());
      await ann.leave('quit');
      await bob.say('are you there?');
      expect(annBox.trace).to.deep.equal(['joined:Ann', 'joined:Bob']);
    });
  });
});

describe('RoomService', () => {
  it('creates a room with a generated id and the trimmed name', async () => {
    const { rooms } = chatHarness();
    const room = await rooms.create('  Lobby ');
    expect(room).to.include({ name: 'Lobby', createdAt: 1_700_000_000_000 });
    expect(room.id).to.be.a('string').and.not.equal('');
  });

  it('names at most 1,000 participants of a room, and counts them all', async () => {
    const { chat, rooms } = chatHarness();
    const room = await rooms.create('Crowd');
    for (let i = 0; i < 1001; i++) await chat.join(room.id, `p${i}`, new RecordingOutbox());
    const details = await rooms.get(room.id);
    expect(details.participants).to.have.length(1000);
    expect(details.participants[0]?.name).to.equal('p0');
    expect(details.participantCount).to.equal(1001);
  });

  it('lists rooms oldest first with their participant counts', async () => {
    const { chat, rooms } = chatHarness();
    const a = await rooms.create('A');
    const b = await rooms.create('B');
    await chat.join(b.id, 'Ann', new RecordingOutbox());
    await chat.join(b.id, 'Bob', new RecordingOutbox());
    const listed = await rooms.list();
    expect(listed.total).to.equal(2);
    expect(listed.rooms.map((r) => [r.id, r.participantCount])).to.deep.equal([
      [a.id, 0],
      [b.id, 2],
    ]);
  });

  it('shows a room with its participants in join order', async () => {
    const { chat, rooms } = chatHarness();
    const room = await rooms.create('Lobby');
    await chat.join(room.id, 'Bob', new RecordingOutbox());
    await chat.join(room.id, 'Ann', new RecordingOutbox());
    expect((await rooms.get(room.id)).participants.map((p) => p.name)).to.deep.equal([
      'Bob',
      'Ann',
    ]);
  });

  it('refuses an unknown room with room_not_found', async () => {
    const { rooms } = chatHarness();
    expect(await codeOf(rooms.get('missing'))).to.equal('room_not_found');
  });

  it('finds a room by id, then by name, asking the repository once each and never listing every room', async () => {
    const { deps } = chatHarness();
    const calls: string[] = [];
    const repository = countedCalls(deps.rooms, calls);
    const rooms = new RoomService({ ...deps, rooms: repository });
    const lobby = await rooms.create('Lobby');
    calls.length = 0;
    expect(await rooms.find(lobby.id)).to.deep.equal(lobby);
    expect(await rooms.find(' lobby ')).to.deep.equal(lobby);
    expect(await rooms.findOrCreate('ＬＯＢＢＹ')).to.deep.equal(lobby);
    expect(calls).to.deep.equal(['get', 'get', 'findByName', 'get', 'findByName']);
    calls.length = 0;
    const den = await rooms.findOrCreate('Den');
    expect(den).to.include({ name: 'Den' });
    expect(calls, 'a new name: one lookup, then the room is stored').to.deep.equal([
      'get',
      'findByName',
      'add',
    ]);
  });

  it('makes one room when findOrCreate calls race for a new name', async () => {
    const { rooms } = chatHarness();
    const found = await Promise.all(
      ['Den', 'den', 'ＤＥＮ', ' Den'].map((n) => rooms.findOrCreate(n)),
    );
    expect(new Set(found.map((room) => room.id)).size).to.equal(1);
    expect((await rooms.list()).rooms.map((room) => room.name)).to.deep.equal(['Den']);
  });

  it('reports storage_unavailable when the room cannot be stored', async () => {
    const { rooms } = chatHarness({
      rooms: {
        add: () => Promise.reject(new Error('read-only disk')),
        get: () => Promise.resolve(undefined),
        findByName: () => Promise.resolve(undefined),
        list: () => Promise.resolve([]),
        count: () => Promise.resolve(0),
        remove: () => Promise.resolve(false),
        close: () => Promise.resolve(),
      },
    });
    expect(await codeOf(rooms.create('Lobby'))).to.equal('storage_unavailable');
  });

  it('refuses a room past the limit, even when creations race, and keeps existing rooms', async () => {
    const { deps } = chatHarness();
    const rooms = new RoomService(deps, { maxRooms: 2 });
    const results = await Promise.allSettled(['A', 'B', 'C', 'D'].map((n) => rooms.create(n)));
    expect(results.map((r) => r.status)).to.deep.equal([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    expect(await codeOf(rooms.create('E'))).to.equal('room_limit_reached');
    expect((await rooms.list()).rooms.map((room) => room.name)).to.deep.equal(['A', 'B']);
  });
});

/** The repository, recording the name of each method called on it. */
function countedCalls(inner: RoomRepository, calls: string[]): RoomRepository {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
