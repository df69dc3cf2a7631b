import type { Writable } from 'node:stream';

/**
 * Batches socket writes per turn of the event loop. A socket is corked on its first write of
 * the turn and every corked socket is uncorked together once the turn's work is done, so all
 * the frames a socket is given in one turn (say, a group-committed batch of messages) leave in
 * one system call instead of one each. It adds no delay: the flush runs before the event loop
 * goes back to waiting for I/O.
 */
export class WriteCoalescer {
  private corked: Writable[] = [];
  private readonly flush = (): void => {
    const corked = this.corked;
    this.corked = [];
    for (const socket of corked) socket.uncork();
  };

  /** Queues `frame` on the socket for this turn's flush. */
  write(socket: Writable, frame: Buffer): void {
    if (socket.writableCorked === 0) {
      if (this.corked.length === 0) process.nextTick(this.flush);
      socket.cork();
      this.corked.push(socket);
    }
    socket.write(frame);
  }
}
