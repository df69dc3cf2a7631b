import { open, type FileHandle } from 'node:fs/promises';

/** Bytes moved per read when copying between files: big enough for few calls, small for memory. */
export const COPY_CHUNK_BYTES = 1 << 20;

/** Writes all of `bytes` at the handle's position (a write may take only part of them). */
export async function writeFully(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/** Fills `into` with `length` bytes read at `position`; rejects if the file ends first. */
export async function readFully(
  handle: FileHandle,
  into: Buffer,
  length: number,
  position: number,
): Promise<void> {
  for (let done = 0; done < length;) {
    const { bytesRead } = await handle.read(into, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`the file ends before byte ${position + length}`);
    done += bytesRead;
  }
}

/** Copies `length` bytes at `position` of `from` to `to`, a chunk at a time. */
export async function copyBytes(
  from: FileHandle,
  position: number,
  length: number,
  to: FileHandle,
): Promise<void> {
  const chunk = Buffer.allocUnsafe(Math.min(length, COPY_CHUNK_BYTES));
  for (let done = 0; done < length;) {
    const size = Math.min(chunk.length, length - done);
    await readFully(from, chunk, size, position + done);
    await writeFully(to, chunk.subarray(0, size));
    done += size;
  }
}

/** A rename (or creation) is durable only once the directory entry is on disk. */
export async function syncDirectory(path: string): Promise<void> {
  const directory = await open(path, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** The error code of a failed system call (`ENOSPC`, `EIO`…), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
