import { RedisEventBroker } from '../../../platform/broker/redis-event-broker.js';
import { silentLogger } from '../../../platform/logging/logger.js';
import { RedisConnections } from '../../../platform/redis/redis-connections.js';
import { RedisServer, skipWithoutRedis } from '../../support/redis-server.js';
import { describeEventBrokerContract } from './event-broker.contract.js';

describe('Redis event broker (a real redis-server)', function () {
  let redis: RedisServer | undefined;

  before(async function () {
    skipWithoutRedis(this);
    redis = await RedisServer.start();
  });

  after(async () => {
    await redis?.destroy();
  });

  // Each node is a broker over connections of its own, as each Parley process has.
  describeEventBrokerContract('redis', () => {
    const opened: RedisConnections[] = [];
    return Promise.resolve({
      node: async () => {
        const connections = await RedisConnections.open(redis!.url(), silentLogger());
        opened.push(connections);
        return new RedisEventBroker(connections.publisher, connections.subscriber, silentLogger());
      },
      cleanup: async () => {
        for (const connections of opened.splice(0)) await connections.close();
      },
    });
  });
});
