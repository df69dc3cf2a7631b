import { MemoryEventBroker } from '../../../platform/broker/memory-event-broker.js';
import { silentLogger } from '../../../platform/logging/logger.js';
import { describeEventBrokerContract } from './event-broker.contract.js';

// One process is one node: every node of the subject is the same broker.
describeEventBrokerContract('memory', () => {
  const broker = new MemoryEventBroker(silentLogger());
  return Promise.resolve({ node: () => Promise.resolve(broker), cleanup: () => Promise.resolve() });
});
