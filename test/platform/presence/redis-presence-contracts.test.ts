import { silentLogger } from '../../../platform/logging/logger.js';
import { RedisPresenceRegistry } from '../../../platform/presence/redis-presence-registry.js';
import { RedisConnections } from '../../../platform/redis/redis-connections.js';
import { RedisServer, skipWithoutRedis } from '../../support/redis-server.js';
import { describePresenceRegistryContract } from './presence-registry.contract.js';

describe('Redis presence registry (a real redis-server)', function () {
  let redis: RedisServer | undefined;

  before(async function () {
    skipWithoutRedis(this);
    redis = await RedisServer.start();
  });

  after(async () => {
    await redis?.destroy();
  });

  // Each node is a registry of its own (its own node id and connection), as each process has.
  describePresenceRegistryContract('redis', () => {
    const opened: RedisConnections[] = [];
    return Promise.resolve({
      node: async () => {
        const connections = await RedisConnections.open(redis!.url(), silentLogger());
        opened.push(connections);
        const nodeId = `node-${opened.length}`;
        return new RedisPresenceRegistry(connections.commands, nodeId, silentLogger());
      },
      cleanup: async () => {
        for (const connections of opened.splice(0)) await connections.close();
        await redis!.flush();
      },
    });
  });
});
