import type { FileMessageStoreOptions } from '../../platform/storage/file/file-message-store.js';
import type { FsyncPolicy } from '../../platform/storage/file/room-log.js';

/** File store options for tests: a cache of 4, so reads past it go to the file too. */
export function fileStoreOptions(
  dataDir: string,
  fsync: FsyncPolicy = 'interval',
): FileMessageStoreOptions {
  return { dataDir, cacheSize: 4, fsync, fsyncIntervalMs: 50, idleCloseMs: 60_000 };
}
