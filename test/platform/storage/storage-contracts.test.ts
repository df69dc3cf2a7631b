import { FileMessageStore } from '../../../platform/storage/file/file-message-store.js';
import { FileRoomRepository } from '../../../platform/storage/file/file-room-repository.js';
import { MemoryMessageStore } from '../../../platform/storage/memory/memory-message-store.js';
import { MemoryRoomRepository } from '../../../platform/storage/memory/memory-room-repository.js';
import { silentLogger } from '../../../platform/logging/logger.js';
import { CONTRACT_RETENTION, fileStoreOptions } from '../../support/file-store-options.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { describeMessageStoreContract } from './message-store.contract.js';
import { describeRoomRepositoryContract } from './room-repository.contract.js';

describeMessageStoreContract('memory', 'volatile', () =>
  Promise.resolve({
    open: () => Promise.resolve(new MemoryMessageStore(CONTRACT_RETENTION)),
    cleanup: () => Promise.resolve(),
  }),
);

for (const fsync of ['interval', 'always'] as const) {
  describeMessageStoreContract(`file (fsync ${fsync})`, 'durable', async () => {
    const dir = await makeTempDir();
    const open = () => FileMessageStore.open(fileStoreOptions(dir.path, fsync), silentLogger());
    return { open, reopen: open, cleanup: () => dir.remove() };
  });
}

describeRoomRepositoryContract('memory', 'volatile', () =>
  Promise.resolve({
    open: () => Promise.resolve(new MemoryRoomRepository()),
    cleanup: () => Promise.resolve(),
  }),
);

describeRoomRepositoryContract('file', 'durable', async () => {
  const dir = await makeTempDir();
  const open = () => FileRoomRepository.open(dir.path, silentLogger());
  return { open, reopen: open, cleanup: () => dir.remove() };
});
