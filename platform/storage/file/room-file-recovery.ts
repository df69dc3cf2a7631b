import type { Logger } from '../../logging/logger.js';
import { DamageReport } from './damage-report.js';
import { IndexBuilder } from './index-builder.js';
import { JsonlFile } from './jsonl-file.js';
import type { MainThreadWrites } from './main-thread-writes.js';
import type { OffsetIndex } from './offset-index.js';
import { decodeMessage } from './stored-records.js';

/** A room's history file once read back: open for appends, and where each message is. */
export interface RecoveredRoomFile {
  readonly file: JsonlFile;
  readonly index: OffsetIndex;
}

/**
 * Reads a room's history file back a chunk at a time (see recoverLines). Every valid message
 * line is kept, in seq order, whatever order the file has them in; lines that are not
 * messages, and any later line repeating a seq, are reported by line number and left out.
 * The room's next seq follows the highest kept (`index.lastSeq`).
 */
export async function recoverRoomFile(
  roomId: string,
  path: string,
  logger: Logger,
  inPlace: MainThreadWrites,
): Promise<RecoveredRoomFile> {
  const damage = new DamageReport(logger, path);
  const builder = new IndexBuilder();
  const file = await JsonlFile.recover(path, {
    inPlace,
    logger,
    damage,
    visit: (record, line, offset, length) => {
      const message = decodeMessage(roomId, record);
      if (message === undefined) damage.skip(line, 'not a message');
      else builder.add(message.seq, offset, length, line);
    },
  });
  const index = builder.build((line, seq, keptLine) =>
    damage.skip(line, `seq ${seq} is already on line ${keptLine}`),
  );
  damage.finish();
  return { file, index };
}
