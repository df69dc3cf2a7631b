import { expect } from 'chai';
import { Member } from '../../business/chat/member.js';
import { RoomHub } from '../../business/chat/room-hub.js';
import type { EventBroker } from '../../business/ports/event-broker.js';
import { MemoryEventBroker } from '../../platform/broker/memory-event-broker.js';
import type { Membership } from '../../business/chat/membership.js';
import { chatHarness, ManualTimer, RecordingOutbox } from './chat-harness.js';

/** A memory broker that counts live subscriptions per room. */
function countingBroker(): { broker: EventBroker; live: Map<string, number> } {
  const inner = new MemoryEventBroker();
  const live = new Map<string, number>();
  const broker: EventBroker = {
    publish: (roomId, event) => inner.publish(roomId, event),
    subscribe: (roomId, listener) => {
      live.set(roomId, (live.get(roomId) ?? 0) + 1);
      const subscription = inner.subscribe(roomId, listener);
      return {
        ready: subscription.ready,
        unsubscribe: () => {
          live.set(roomId, (live.get(roomId) ?? 0) - 1);
          subscription.unsubscribe();
        },
      };
    },
    close: () => inner.close(),
  };
  return { broker, live };
}

function member(roomId: string, name: string, outbox = new RecordingOutbox()): Member {
  const m = new Member(roomId, { memberId: name, name, joinedAt: 0 }, outbox);
  m.completeReplay([]);
  return m;
}

describe('RoomHub', () => {
  it('subscribes to the broker once per room, however many local members it has', async () => {
    const { broker, live } = countingBroker();
    const hub = new RoomHub(
      broker,
      new ManualTimer(),
      { now: () => 0 },
      { above: 1000, intervalMs: 1000 },
    );
    for (const name of ['a', 'b', 'c']) await hub.attach(member('room1', name));
    await hub.attach(member('room2', 'd'));
    expect(Object.fromEntries(live)).to.deep.equal({ room1: 1, room2: 1 });
  });

  it('hands each event to every local member of the room and to no one else', async () => {
    const { broker } = countingBroker();
    const hub = new RoomHub(
      broker,
      new ManualTimer(),
      { now: () => 0 },
      { above: 1000, intervalMs: 1000 },
    );
    const inRoom = [new RecordingOutbox(), new RecordingOutbox()];
    const elsewhere = new RecordingOutbox();
    for (const [i, box] of inRoom.entries()) await hub.attach(member('room1', `p${i}`, box));
    await hub.attach(member('room2', 'x', elsewhere));
    broker.publish('room1', {
      type: 'participant_joined',
      roomId: 'room1',
      roomName: 'Room one',
      participant: 'z',
      at: 0,
    });
    expect(inRoom.map((box) => box.trace)).to.deep.equal([['joined:z'], ['joined:z']]);
    expect(elsewhere.trace).to.deep.equal([]);
  });

  it('ends the room subscription when its last local member detaches', async () => {
    const { broker, live } = countingBroker();
    const hub = new RoomHub(
      broker,
      new ManualTimer(),
      { now: () => 0 },
      { above: 1000, intervalMs: 1000 },
    );
    const a = member('room1', 'a');
    const b = member('room1', 'b');
    await hub.attach(a);
    await hub.attach(b);
    hub.detach(a);
    expect(live.get('room1')).to.equal(1);
    hub.detach(b);
    hub.detach(b); // detaching twice is harmless
    expect(live.get('room1')).to.equal(0);
    expect(hub.membersOf('room1').size).to.equal(0);
  });
});

describe('RoomHub presence batching (big rooms)', () => {
  const batching = { above: 3, intervalMs: 1000 };

  async function bigRoom() {
    const timer = new ManualTimer();
    const { chat, rooms } = chatHarness({ timer }, 15, batching);
    const room = await rooms.create('Stadium');
    const boxes = new Map<string, RecordingOutbox>();
    const join = async (name: string) => {
      const box = new RecordingOutbox();
      boxes.set(name, box);
      return chat.join(room.id, name, box);
    };
    return { timer, join, boxes };
  }

  it('announces joins one by one while the room is small', async () => {
    const { join, boxes } = await bigRoom();
    for (const name of ['a', 'b', 'c']) await join(name);
    expect(boxes.get('a')?.trace).to.deep.equal(['joined:a', 'joined:b', 'joined:c']);
  });

  it('above the threshold, gathers others’ joins and leaves into one participants_changed per interval', async () => {
    const { timer, join, boxes } = await bigRoom();
    const members = new Map<string, Membership>();
    for (const name of ['a', 'b', 'c', 'd', 'e']) members.set(name, await join(name));
    await members.get('b')?.leave('quit');
    await members.get('e')?.leave('quit');
    const a = boxes.get('a');
    expect(a?.trace).to.deep.equal(['joined:a', 'joined:b', 'joined:c']);
    timer.advance(1000);
    expect(a?.trace.slice(3)).to.deep.equal(['changed:+d,e/-b,e']);
    timer.advance(5000);
    expect(a?.events).to.have.length(4); // nothing more without new joins or leaves
  });

  it('still tells a joiner of a big room its own join at once', async () => {
    const { join, boxes } = await bigRoom();
    for (const name of ['a', 'b', 'c', 'd']) await join(name);
    await join('late');
    expect(boxes.get('late')?.trace).to.deep.equal(['joined:late']);
  });

  it('never batches messages', async () => {
    const { join, boxes } = await bigRoom();
    const members: Membership[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) members.push(await join(name));
    await members[0]?.say('now');
    expect(boxes.get('e')?.trace.at(-1)).to.equal('message:1:now');
  });

  it('drops a pending announcement when the room empties', async () => {
    const { timer, join } = await bigRoom();
    const members: Membership[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) members.push(await join(name));
    for (const member of members) await member.leave('quit');
    expect(timer.pending).to.equal(0);
  });
});
