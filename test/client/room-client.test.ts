import { expect } from 'chai';
import { startParley, type RunningParley } from '../../cmd/server/compose.js';
import { Backoff } from '../../client/core/backoff.js';
import {
  type ChannelFactory,
  type SocketOpener,
  sseChannels,
  webSocketChannels,
} from '../../client/core/channel.js';
import type { ChatMessage, ServerEvent } from '../../client/core/events.js';
import { ParleyApi } from '../../client/core/parley-api.js';
import {
  type ConnectionStatus,
  RoomClient,
  type RoomClientEnd,
  type Schedule,
} from '../../client/core/room-client.js';
import { openNodeSocket } from '../../client/node/ws-socket.js';
import { DEFAULT_CONFIG } from '../../platform/config/parley-config.js';
import { silentLogger } from '../../platform/logging/logger.js';
import { eventually } from '../support/eventually.js';
import { createRoom } from '../support/rooms.js';
import { makeTempDir } from '../support/temp-dir.js';
import { joinedClient } from '../support/ws-client.js';

/** Everything a room client told its listener. */
class Recorder {
  readonly statuses: ConnectionStatus[] = [];
  readonly messages: ChatMessage[] = [];
  readonly events: ServerEvent[] = [];
  ended: RoomClientEnd | undefined;
  readonly listener = {
    status: (status: ConnectionStatus) => this.statuses.push(status),
    messages: (messages: readonly ChatMessage[]) => this.messages.push(...messages),
    event: (event: ServerEvent) => this.events.push(event),
    missing: () => undefined,
    ended: (end: RoomClientEnd) => (this.ended = end),
  };

  get seqs(): number[] {
    return this.messages.map((message) => message.seq);
  }

  get state(): string | undefined {
    return this.statuses[this.statuses.length - 1]?.state;
  }
}

/** A schedule the test runs by hand, so a reconnect happens exactly when the test wants it. */
function heldSchedule(): { schedule: Schedule; runPending(): void; readonly pending: number } {
  let pending: (() => void)[] = [];
  return {
    schedule: (run) => {
      pending.push(run);
      return () => (pending = pending.filter((other) => other !== run));
    },
    runPending() {
      const due = pending;
      pending = [];
      for (const run of due) run();
    },
    get pending() {
      return pending.length;
    },
  };
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** A WebSocket that never connects, as behind a proxy that drops upgrades. */
const blockedSocket: SocketOpener = (_url, events) => {
  setTimeout(() => events.close(1006, ''), 5);
  return { send: () => undefined, close: () => undefined };
};

describe('client RoomClient against a real server', function () {
  this.timeout(20_000);
  let dir: { path: string; remove(): Promise<void> };
  let parley: RunningParley | undefined;
  let port = 0;

  async function start(): Promise<RunningParley> {
    parley = await startParley(
      {
        ...DEFAULT_CONFIG,
        port,
        tcpPort: 0,
        dataDir: dir.path,
        shutdownTimeoutMs: 2000,
        rateLimit: 0,
        maxConnectionsPerIp: 0,
        roomCreationRate: 0,
      },
      silentLogger(),
    );
    port = Number(new URL(parley.url).port);
    return parley;
  }

  beforeEach(async () => {
    dir = await makeTempDir();
    port = 0;
    await start();
  });

  afterEach(async () => {
    await parley?.shutdown();
    parley = undefined;
    await dir.remove();
  });

  const transports: [string, ChannelFactory][] = [
    ['WebSocket', webSocketChannels(openNodeSocket)],
    ['SSE', sseChannels()],
  ];

  for (const [kind, channels] of transports) {
    it(`${kind}: carries on across a server restart with no duplicate and no gap`, async () => {
      const url = parley!.url;
      const roomId = await createRoom(url, 'Restart');
      const held = heldSchedule();
      const seen = new Recorder();
      const client = new RoomClient({
        api: new ParleyApi({ baseUrl: url }),
        roomId,
        name: 'Reader',
        channels: [channels],
        listener: seen.listener,
        schedule: held.schedule,
        pageSize: 10, // several pages to fill the gap
      });
      client.start();
      await eventually('joined', () => seen.state === 'connected');
      client.send('one');
      client.send('two');
      await eventually('own messages', () => seen.messages.length === 2);

      await parley!.shutdown(); // graceful: server_shutting_down, then the connection ends
      await eventually('a reconnect waiting', () => held.pending === 1);
      expect(seen.state).to.equal('reconnecting');
      client.send('typed while away'); // kept, sent once back

      await start(); // same port, same data directory
      const writer = await joinedClient(
        parley!.url.replace(/^http/, 'ws') + `/chat/join?name=Writer&room=${roomId}&history=0`,
        'Writer',
      );
      for (const n of range(3, 40)) writer.send(`m${n}`);
      await writer.waitFor((e) => e.event_type === 'message' && e.seq === 40);

      held.runPending();
      await eventually('caught up', () => seen.seqs.includes(41), 5000);
      expect(seen.seqs).to.deep.equal(range(1, 41)); // the replay covers 26–40, pages the rest
      expect(seen.messages[40]?.text).to.equal('typed while away');
      writer.send('after');
      await eventually('live again', () => seen.seqs.length === 42);
      expect(seen.seqs).to.deep.equal(range(1, 42));
      await writer.close();
      client.leave();
      await eventually('left', () => seen.ended !== undefined);
      expect(seen.ended?.reason).to.equal('quit');
    });
  }

  it('falls back to SSE when WebSocket cannot connect but the server answers', async () => {
    const url = parley!.url;
    const roomId = await createRoom(url, 'Fallback');
    const seen = new Recorder();
    const client = new RoomClient({
      api: new ParleyApi({ baseUrl: url }),
      roomId,
      name: 'Ann',
      channels: [webSocketChannels(blockedSocket), sseChannels()],
      listener: seen.listener,
    });
    client.start();
    await eventually('joined over SSE', () => seen.state === 'connected');
    expect(client.kind).to.equal('sse');
    client.send('hello over sse');
    client.send('/list');
    await eventually('message and reply', () =>
      seen.events.some((e) => e.event_type === 'participants'),
    );
    expect(seen.messages.map((m) => m.text)).to.deep.equal(['hello over sse']);
    client.leave();
    await eventually('left', () => seen.ended !== undefined);
  });

  it('keeps trying WebSocket (no fallback) while the server does not answer at all', async () => {
    const url = parley!.url;
    await parley!.shutdown();
    parley = undefined;
    const held = heldSchedule();
    const seen = new Recorder();
    const client = new RoomClient({
      api: new ParleyApi({ baseUrl: url }),
      roomId: 'nope',
      name: 'Ann',
      channels: [webSocketChannels(openNodeSocket), sseChannels()],
      listener: seen.listener,
      schedule: held.schedule,
      backoff: new Backoff({ initialMs: 10 }),
    });
    client.start();
    await eventually('retry scheduled', () => held.pending === 1);
    expect(client.kind).to.equal('websocket');
    expect(seen.state).to.equal('reconnecting');
    client.leave();
    expect(seen.ended?.reason).to.equal('quit');
    expect(held.pending).to.equal(0);
  });

  it('reconnectNow() tries at once instead of waiting out the delay, and only while waiting', async () => {
    const url = parley!.url;
    const roomId = await createRoom(url, 'Now');
    const held = heldSchedule();
    const seen = new Recorder();
    const client = new RoomClient({
      api: new ParleyApi({ baseUrl: url }),
      roomId,
      name: 'Ann',
      channels: [webSocketChannels(openNodeSocket)],
      listener: seen.listener,
      schedule: held.schedule,
    });
    client.start();
    await eventually('joined', () => seen.state === 'connected');
    client.reconnectNow(); // connected: nothing to do
    expect(seen.statuses.filter((s) => s.state === 'connected')).to.have.length(1);

    await parley!.shutdown();
    await eventually('a reconnect waiting', () => held.pending === 1);
    await start();
    client.reconnectNow();
    expect(held.pending).to.equal(0); // the delayed attempt is cancelled, not run later too
    await eventually('back', () => seen.state === 'connected');
    expect(seen.statuses.filter((s) => s.state === 'connected')).to.have.length(2);
    client.leave();
    await eventually('left', () => seen.ended !== undefined);
  });

  for (const [kind, channels] of transports) {
    it(`${kind}: stops for good when the join is refused as it is (nickname taken)`, async () => {
      const url = parley!.url;
      const roomId = await createRoom(url, 'Taken');
      const holder = await joinedClient(
        url.replace(/^http/, 'ws') + `/chat/join?name=Ann&room=${roomId}`,
        'Ann',
      );
      const held = heldSchedule();
      const seen = new Recorder();
      new RoomClient({
        api: new ParleyApi({ baseUrl: url }),
        roomId,
        name: 'ann',
        channels: [channels],
        listener: seen.listener,
        schedule: held.schedule,
      }).start();
      await eventually('ended', () => seen.ended !== undefined);
      expect(seen.ended?.reason).to.equal('nickname_taken');
      expect(held.pending).to.equal(0);
      await holder.close();
    });
  }
});
