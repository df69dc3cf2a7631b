import type { FileMessageStoreOptions } from '../../platform/storage/file/file-message-store.js';
import type { FsyncPolicy } from '../../platform/storage/file/group-commit.js';

/**
 * File store options for tests: a cache of 4, so reads past it go to the file too, and the
 * retention the storage contract expects.
 */
export function fileStoreOptions(
  dataDir: string,
  fsync: FsyncPolicy = 'interval',
  retention = CONTRACT_RETENTION,
): FileMessageStoreOptions {
  return { dataDir, cacheSize: 4, fsync, fsyncIntervalMs: 50, idleCloseMs: 60_000, retention };
}

/** Messages every store under the storage contract keeps per room. */
export const CONTRACT_RETENTION = 30;
