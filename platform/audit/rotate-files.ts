import { rename, unlink } from 'node:fs/promises';

/**
 * Makes room for a fresh `path`: FILE.(keep-1) → FILE.keep … FILE.1 → FILE.2, FILE → FILE.1.
 * A rename replaces its target, so the old FILE.keep is deleted by the shift; with `keep` 0 the
 * file itself is deleted. Missing files (a gap left by an earlier failure) are skipped.
 */
export async function shiftRotatedFiles(path: string, keep: number): Promise<void> {
  if (keep === 0) {
    await ignoreMissing(unlink(path));
    return;
  }
  for (let n = keep - 1; n >= 1; n -= 1) {
    await ignoreMissing(rename(`${path}.${n}`, `${path}.${n + 1}`));
  }
  await ignoreMissing(rename(path, `${path}.1`));
}

async function ignoreMissing(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
