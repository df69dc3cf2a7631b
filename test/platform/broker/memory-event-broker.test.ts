import { expect } from 'chai';
import type { RoomEvent } from '../../../business/chat/room-event.js';
import { MemoryEventBroker } from '../../../platform/broker/memory-event-broker.js';
import { capturedLogger, LEVEL } from '../../support/captured-logger.js';

const renamed: RoomEvent = { type: 'participant_renamed', roomId: 'r1', from: 'A', to: 'B', at: 0 };

describe('MemoryEventBroker', () => {
  it('delivers inside publish, in subscription order', () => {
    const broker = new MemoryEventBroker();
    const heard: string[] = [];
    broker.subscribe('r1', () => heard.push('first'));
    broker.subscribe('r1', () => heard.push('second'));
    broker.publish('r1', renamed);
    expect(heard).to.deep.equal(['first', 'second']);
  });

  it('logs a listener that throws, with its room, and goes on delivering', () => {
    const { logger, records } = capturedLogger();
    const broker = new MemoryEventBroker(logger);
    let delivered = 0;
    broker.subscribe('r1', () => {
      throw new Error('a listener bug');
    });
    broker.subscribe('r1', () => delivered++);
    broker.publish('r1', renamed);
    expect(delivered).to.equal(1);
    expect(records).to.have.length(1);
    expect(records[0]).to.include({ level: LEVEL.error, roomId: 'r1' });
  });

  it('stops a delivery under way when a listener closes the broker', async () => {
    const broker = new MemoryEventBroker();
    let after = 0;
    broker.subscribe('r1', () => void broker.close());
    broker.subscribe('r1', () => after++);
    broker.publish('r1', renamed);
    await broker.close();
    expect(after).to.equal(0);
  });
});
