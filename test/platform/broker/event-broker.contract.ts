import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MessagePosted, RoomEvent } from '../../../business/chat/room-event.js';
import type {
  EventBroker,
  RoomEventListener,
  Subscription,
} from '../../../business/ports/event-broker.js';
import { eventually } from '../../support/eventually.js';

/**
 * How the contract gets brokers. `node` gives a broker sharing one bus with every other node
 * of the same subject (for an in-process broker, the same instance every time; for Redis, a
 * new connection to the same server), so that "every node" is tested where there are nodes.
 */
export interface EventBrokerSubject {
  node(): Promise<EventBroker>;
  cleanup(): Promise<void>;
}

/** A listener that keeps what it is handed. */
interface Recorder {
  readonly listener: RoomEventListener;
  readonly events: RoomEvent[];
}

function recorder(): Recorder {
  const events: RoomEvent[] = [];
  return { listener: (event) => events.push(event), events };
}

/** Event `n` of a publisher in a room: a posted message whose seq is `n`. */
function posted(roomId: string, publisher: string, n: number): MessagePosted {
  const message = { id: `${publisher}-${n}`, roomId, seq: n, participant: publisher, text: 'hi' };
  return { type: 'message_posted', message: { ...message, sentAt: 1_700_000_000_000 + n } };
}

/** The seqs of one publisher's events, in the order a listener received them. */
function seqsFrom(events: readonly RoomEvent[], publisher: string): number[] {
  return events.flatMap((e) =>
    e.type === 'message_posted' && e.message.participant === publisher ? [e.message.seq] : [],
  );
}

/** 1, 2, … n. */
function upTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** The EventBroker port's contract (business/ports/event-broker.ts), for any implementation. */
export function describeEventBrokerContract(
  name: string,
  subject: () => Promise<EventBrokerSubject>,
): void {
  describe(`EventBroker contract: ${name}`, () => {
    let s: EventBrokerSubject;
    let nodes: EventBroker[];
    let a: EventBroker;
    let b: EventBroker;

    /** A node of the bus, closed after the test. */
    async function node(): Promise<EventBroker> {
      const broker = await s.node();
      nodes.push(broker);
      return broker;
    }

    /** Subscribes and waits until the subscription is sure to see what is published next. */
    async function subscribed(on: EventBroker, roomId: string, r: Recorder): Promise<Subscription> {
      const subscription = on.subscribe(roomId, r.listener);
      await subscription.ready;
      return subscription;
    }

    /**
     * Waits until what `publisher` published to the room so far has reached every recorder, by
     * publishing one more event (from the same publisher, so it arrives after the others) and
     * waiting for it: a test can then check that something did not arrive, without a delay.
     */
    let fences = 0;
    async function fence(publisher: EventBroker, roomId: string, ...rs: Recorder[]): Promise<void> {
      const mark = posted(roomId, 'fence', ++fences);
      publisher.publish(roomId, mark);
      const arrived = (r: Recorder) => r.events.some((e) => idOf(e) === mark.message.id);
      await eventually('the fence', () => rs.every(arrived));
    }

    beforeEach(async () => {
      s = await subject();
      nodes = [];
      [a, b] = [await node(), await node()];
    });

    afterEach(async () => {
      for (const broker of nodes) await broker.close();
      await s.cleanup();
    });

    describe('#publish', () => {
      it('delivers each event to every subscriber of the room, on every node, once', async () => {
        const listeners = [recorder(), recorder(), recorder(), recorder()];
        for (const [i, r] of listeners.entries()) await subscribed(i % 2 ? a : b, 'r1', r);
        for (const n of upTo(10)) a.publish('r1', posted('r1', 'A', n));
        await fence(a, 'r1', ...listeners);
        for (const r of listeners) expect(seqsFrom(r.events, 'A')).to.deep.equal(upTo(10));
      });

      it('hands every listener an event equal to the one published, field for field', async () => {
        const r = recorder();
        await subscribed(b, 'r1', r);
        const origin = { address: '192.0.2.7', port: 50_123 };
        const events: RoomEvent[] = [
          posted('r1', 'Zoë', 1),
          {
            type: 'participant_joined',
            roomId: 'r1',
            roomName: 'Den 🦊',
            participant: 'Zoë',
            at: 5,
          },
          {
            type: 'participant_joined',
            roomId: 'r1',
            roomName: 'L',
            participant: 'Al',
            at: 6,
            origin,
          },
          { type: 'participant_left', roomId: 'r1', participant: 'Al', reason: 'moved', at: 7 },
          { type: 'participant_renamed', roomId: 'r1', from: 'Zoë', to: 'Zed', at: 8 },
          {
            type: 'private_message',
            id: 'p1',
            roomId: 'r1',
            from: 'Zed',
            fromId: 'm1',
            to: 'Al',
            toId: 'm2',
            text: 'line\n"two" 😀',
            at: 9,
          },
        ];
        for (const event of events) a.publish('r1', event);
        await eventually('every event', () => r.events.length === events.length);
        expect(r.events).to.deep.equal(events);
      });

      it("keeps each publisher's order per room, however publishers and rooms interleave", async () => {
        const [inR1, inR2] = [recorder(), recorder()];
        await subscribed(a, 'r1', inR1);
        await subscribed(b, 'r2', inR2);
        for (const n of upTo(50)) {
          for (const [publisher, from] of [
            [a, 'A'],
            [b, 'B'],
          ] as const) {
            publisher.publish('r1', posted('r1', from, n));
            publisher.publish('r2', posted('r2', from, n));
          }
        }
        const all = (r: Recorder) => () => r.events.length === 100;
        await eventually('r1 events', all(inR1));
        await eventually('r2 events', all(inR2));
        for (const r of [inR1, inR2]) {
          expect(seqsFrom(r.events, 'A')).to.deep.equal(upTo(50));
          expect(seqsFrom(r.events, 'B')).to.deep.equal(upTo(50));
        }
      });

      it('never hands a room’s events to another room, whatever the ids hold', async () => {
        const ids = ['r1', 'R1', 'r1:x', 'r1 ', 'r*', 'r?', 'r[1]', 'r1.*', 'ä', '{r1}', ''];
        const recorders = ids.map(() => recorder());
        for (const [i, id] of ids.entries()) await subscribed(b, id, recorders[i] as Recorder);
        for (const id of ids) a.publish(id, posted(id, 'A', 1));
        a.publish('nobody-listens', posted('nobody-listens', 'A', 1));
        for (const [i, id] of ids.entries()) await fence(a, id, recorders[i] as Recorder);
        for (const [i, id] of ids.entries()) {
          const rooms = (recorders[i] as Recorder).events.map((e) => roomOf(e));
          expect(rooms, `listener of "${id}"`).to.deep.equal([id, id]);
        }
      });

      it('keeps delivering to the others when a listener throws, and the thrower stays', async () => {
        const [before, after] = [recorder(), recorder()];
        let thrown = 0;
        await subscribed(b, 'r1', before);
        await subscribed(b, 'r1', {
          listener: () => {
            thrown++;
            throw new Error('a listener bug');
          },
          events: [],
        });
        await subscribed(b, 'r1', after);
        expect(() => a.publish('r1', posted('r1', 'A', 1))).not.to.throw();
        a.publish('r1', posted('r1', 'A', 2));
        await fence(a, 'r1', before, after);
        for (const r of [before, after]) expect(seqsFrom(r.events, 'A')).to.deep.equal([1, 2]);
        expect(thrown).to.equal(3); // both events and the fence
      });
    });

    describe('#subscribe', () => {
      it('delivers whatever any node publishes once `ready` has resolved', async () => {
        for (const n of upTo(20)) {
          const r = recorder();
          const roomId = `fresh-${n}`;
          await subscribed(n % 2 ? a : b, roomId, r);
          (n % 2 ? b : a).publish(roomId, posted(roomId, 'A', n));
          await eventually(`delivery in ${roomId}`, () => r.events.length === 1);
        }
      });

      it('treats each call as its own subscription: subscribed twice, a listener hears twice', async () => {
        const r = recorder();
        await subscribed(b, 'r1', r);
        await subscribed(b, 'r1', r);
        a.publish('r1', posted('r1', 'A', 1));
        await eventually('both deliveries', () => r.events.length === 2);
        await fence(a, 'r1', r);
        expect(seqsFrom(r.events, 'A')).to.deep.equal([1, 1]);
      });
    });

    describe('Subscription#unsubscribe', () => {
      it('stops delivery at once, even of an event already on its way', async () => {
        const [gone, control] = [recorder(), recorder()];
        const subscription = await subscribed(b, 'r1', gone);
        await subscribed(b, 'r1', control);
        a.publish('r1', posted('r1', 'A', 1));
        subscription.unsubscribe(); // event 1 may have been delivered (in-process) or not yet
        a.publish('r1', posted('r1', 'A', 2));
        await fence(a, 'r1', control);
        expect(seqsFrom(control.events, 'A')).to.deep.equal([1, 2]);
        expect([[], [1]]).to.deep.include(seqsFrom(gone.events, 'A'));
        expect(gone.events.filter(isFence)).to.deep.equal([]);
      });

      it('affects its own subscription only, and is idempotent', async () => {
        const [stays, r] = [recorder(), recorder()];
        await subscribed(b, 'r1', stays);
        const first = await subscribed(b, 'r1', r);
        first.unsubscribe();
        first.unsubscribe();
        await subscribed(b, 'r1', r); // the same listener again: a new subscription
        first.unsubscribe(); // a stale handle must not end the new one
        a.publish('r1', posted('r1', 'A', 1));
        await fence(a, 'r1', stays, r);
        expect(seqsFrom(stays.events, 'A')).to.deep.equal([1]);
        expect(seqsFrom(r.events, 'A')).to.deep.equal([1]);
      });

      it('may be called by the listener itself, while it is being delivered to', async () => {
        const [once, control] = [recorder(), recorder()];
        const subscription: { current?: Subscription } = {};
        subscription.current = await subscribed(b, 'r1', {
          listener: (event) => {
            once.events.push(event);
            subscription.current?.unsubscribe();
          },
          events: once.events,
        });
        await subscribed(b, 'r1', control);
        for (const n of upTo(3)) a.publish('r1', posted('r1', 'A', n));
        await fence(a, 'r1', control);
        expect(seqsFrom(control.events, 'A')).to.deep.equal([1, 2, 3]);
        expect(seqsFrom(once.events, 'A')).to.deep.equal([1]);
      });
    });

    describe('#close', () => {
      it('stops delivery; then publish does nothing, subscribe is refused, close resolves again', async () => {
        const closing = await node();
        const [r, control] = [recorder(), recorder()];
        const subscription = await subscribed(closing, 'r1', r);
        await closing.close();
        expect(() => closing.publish('r1', posted('r1', 'A', 1))).not.to.throw();
        a.publish('r1', posted('r1', 'A', 2));
        const late = closing.subscribe('r1', control.listener);
        let refused = false;
        await late.ready.catch(() => (refused = true));
        expect(refused).to.equal(true);
        expect(() => subscription.unsubscribe()).not.to.throw();
        expect(() => late.unsubscribe()).not.to.throw();
        await closing.close();
        await sleep(100); // nothing to fence with: the node is closed
        expect(r.events).to.deep.equal([]);
        expect(control.events).to.deep.equal([]);
      });
    });
  });
}

function roomOf(event: RoomEvent): string {
  return event.type === 'message_posted' ? event.message.roomId : event.roomId;
}

function isFence(event: RoomEvent): boolean {
  return event.type === 'message_posted' && event.message.participant === 'fence';
}

function idOf(event: RoomEvent): string | undefined {
  return event.type === 'message_posted' ? event.message.id : undefined;
}
