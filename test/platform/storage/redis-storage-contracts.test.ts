import { RedisConnections } from '../../../platform/redis/redis-connections.js';
import { silentLogger } from '../../../platform/logging/logger.js';
import { RedisMessageStore } from '../../../platform/storage/redis/redis-message-store.js';
import { RedisRoomRepository } from '../../../platform/storage/redis/redis-room-repository.js';
import { CONTRACT_RETENTION } from '../../support/file-store-options.js';
import { RedisServer, skipWithoutRedis } from '../../support/redis-server.js';
import { describeMessageStoreContract } from './message-store.contract.js';
import { describeRoomRepositoryContract } from './room-repository.contract.js';

describe('Redis storage (a real redis-server)', function () {
  let redis: RedisServer | undefined;
  const opened: RedisConnections[] = [];

  before(async function () {
    skipWithoutRedis(this);
    redis = await RedisServer.start();
  });

  after(async () => {
    await redis?.destroy();
  });

  /** A node's connections to the test's Redis; "reopen" is another node, or a restart. */
  async function connect(): Promise<RedisConnections> {
    const connections = await RedisConnections.open(redis!.url(), silentLogger());
    opened.push(connections);
    return connections;
  }

  async function cleanup(): Promise<void> {
    for (const connections of opened.splice(0)) await connections.close();
    await redis!.flush();
  }

  describeMessageStoreContract('redis', 'durable', () => {
    const open = async () => new RedisMessageStore((await connect()).commands, CONTRACT_RETENTION);
    return Promise.resolve({ open, reopen: open, cleanup });
  });

  describeRoomRepositoryContract('redis', 'durable', () => {
    const open = async () => new RedisRoomRepository((await connect()).commands);
    return Promise.resolve({ open, reopen: open, cleanup });
  });
});
