// Types for the part of fs-native-extensions Parley uses (the package ships none).
declare module 'fs-native-extensions' {
  /**
   * Takes an exclusive lock on the whole file without waiting: `flock` on macOS and BSD, an
   * open-file-description lock (`F_OFD_SETLK`) on Linux, `LockFileEx` on Windows. The kernel
   * releases it when the descriptor is closed, and so when the process dies in any way.
   * @returns false when another descriptor holds it.
   */
  export function tryLock(fd: number): boolean;
}
