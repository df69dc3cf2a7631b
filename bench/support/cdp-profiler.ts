import { WebSocket } from 'ws';

/**
 * Drives V8's sampling profiler in another Node process over the inspector protocol (the
 * process runs with `--inspect=127.0.0.1:0`), so a profile covers exactly a chosen window —
 * the steady state — and not start-up, joins or teardown.
 */
export class CdpProfiler {
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse((data as Buffer).toString()) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message.result);
    });
  }

  /** Connects to the inspector URL a process printed (`Debugger listening on ws://…`). */
  static async connect(url: string): Promise<CdpProfiler> {
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const profiler = new CdpProfiler(socket);
    await profiler.call('Profiler.enable');
    await profiler.call('Profiler.setSamplingInterval', { interval: 100 });
    return profiler;
  }

  start(): Promise<unknown> {
    return this.call('Profiler.start');
  }

  /** Stops profiling and returns the profile (the .cpuprofile JSON). */
  async stop(): Promise<object> {
    const { profile } = (await this.call('Profiler.stop')) as { profile: object };
    this.socket.close();
    return profile;
  }

  private call(method: string, params: object = {}): Promise<unknown> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve) => this.pending.set(id, resolve));
  }
}
