import { expect } from 'chai';
import { Member } from '../../business/chat/member.js';
import { RoomHub } from '../../business/chat/room-hub.js';
import type { EventBroker } from '../../business/ports/event-broker.js';
import { MemoryEventBroker } from '../../platform/broker/memory-event-broker.js';
import { RecordingOutbox } from './chat-harness.js';

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
    const hub = new RoomHub(broker);
    for (const name of ['a', 'b', 'c']) await hub.attach(member('room1', name));
    await hub.attach(member('room2', 'd'));
    expect(Object.fromEntries(live)).to.deep.equal({ room1: 1, room2: 1 });
  });

  it('hands each event to every local member of the room and to no one else', async () => {
    const { broker } = countingBroker();
    const hub = new RoomHub(broker);
    const inRoom = [new RecordingOutbox(), new RecordingOutbox()];
    const elsewhere = new RecordingOutbox();
    for (const [i, box] of inRoom.entries()) await hub.attach(member('room1', `p${i}`, box));
    await hub.attach(member('room2', 'x', elsewhere));
    broker.publish('room1', {
      type: 'participant_joined',
      roomId: 'room1',
      participant: 'z',
      at: 0,
    });
    expect(inRoom.map((box) => box.trace)).to.deep.equal([['joined:z'], ['joined:z']]);
    expect(elsewhere.trace).to.deep.equal([]);
  });

  it('ends the room subscription when its last local member detaches', async () => {
    const { broker, live } = countingBroker();
    const hub = new RoomHub(broker);
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
