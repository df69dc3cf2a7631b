import { DIALECTS, type Dialect } from './dialects.js';
import { LeanSocket, type LeanSocketEvents } from './lean-socket.js';
import {
  nowNs,
  readStamp,
  stampedText,
  type ClientSpec,
  type WorkerCommand,
  type WorkerEvent,
} from './protocol.js';

/**
 * A load-generator process: holds many lean connections, counts deliveries, samples latency,
 * and drives publishers, as the orchestrator (bench/run.ts) tells it over IPC.
 */
interface Client extends ClientSpec {
  socket?: LeanSocket;
  joined: boolean;
  inFlight: number;
  /** `"participant":"<name>"`: how a publisher recognises its own messages coming back. */
  readonly signature: Buffer;
}

let dialect: Dialect = DIALECTS.parley;
const clients: Client[] = [];
let deliveries = 0;
let sampleEvery = 0;
let sampleCountdown = 0;
let latenciesUs: number[] = [];
let closed = 0;
/** `error` events received since `measure` (a refused message stalls its publisher's window). */
let errors = 0;
let cpuAtMeasure = process.cpuUsage();
let publishing = false;
let window = 0;
let timers: NodeJS.Timeout[] = [];
let onJoined: (() => void) | undefined;

const send = (event: WorkerEvent): void => void process.send?.(event);

// Each socket's handlers are bound to its client from the start: the server's first frame can
// arrive in the same read as the handshake answer.
const eventsFor = (client: Client): LeanSocketEvents => ({
  onText(socket, buffer, start, end) {
    if (!client.joined) {
      if (dialect.isError(buffer, start, end)) errors++;
      if (
        dialect.setupFrame(
          socket,
          Buffer.from(buffer.subarray(start, end)),
          client.room,
          client.name,
        )
      ) {
        client.joined = true;
        onJoined?.();
      }
      return;
    }
    if (dialect.keepalive(socket, buffer, start, end)) return;
    if (!dialect.isMessage(buffer, start, end)) {
      if (dialect.isError(buffer, start, end)) errors++;
      return;
    }
    deliveries++;
    if (sampleEvery > 0 && --sampleCountdown <= 0) {
      sampleCountdown = sampleEvery;
      const stamp = readStamp(buffer, start, end);
      if (stamp !== undefined) latenciesUs.push((nowNs() - stamp) / 1000);
    }
    if (client.publisher && publishing && window > 0 && isOwn(client, buffer, start, end)) {
      client.inFlight--;
      topUp(client);
    }
  },
  onClose() {
    closed++;
  },
});

function isOwn(client: Client, buffer: Buffer, start: number, end: number): boolean {
  const at = buffer.indexOf(client.signature, start);
  return at >= 0 && at < end;
}

function topUp(client: Client): void {
  while (client.inFlight < window && client.socket !== undefined && !client.socket.closed) {
    client.inFlight++;
    client.socket.sendText(dialect.message(stampedText()));
  }
}

async function connectAll(port: number, specs: ClientSpec[], concurrency: number): Promise<void> {
  const startedAt = Date.now();
  let failed = 0;
  let joined = 0;
  let next = 0;
  const allJoined = new Promise<void>((resolve) => {
    onJoined = () => {
      if (++joined === specs.length - failed) resolve();
    };
  });
  const opener = async (): Promise<void> => {
    while (next < specs.length) {
      const spec = specs[next++] as ClientSpec;
      const signature = Buffer.from(`"participant":"${spec.name}"`);
      const client: Client = { ...spec, joined: false, inFlight: 0, signature };
      clients.push(client);
      try {
        client.socket = await LeanSocket.connect(
          port,
          dialect.path(spec.room, spec.name),
          eventsFor(client),
        );
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, opener));
  if (joined < specs.length - failed) await allJoined;
  send({ evt: 'joined', count: joined, startedAt, lastJoinedAt: Date.now(), failed });
}

function startPublishing(newWindow: number, perSecond: number): void {
  publishing = true;
  window = newWindow;
  const publishers = clients.filter((client) => client.publisher);
  if (perSecond > 0) {
    const period = 1000 / perSecond;
    publishers.forEach((client, i) => {
      const start = setTimeout(
        () => {
          timers.push(
            setInterval(() => client.socket?.sendText(dialect.message(stampedText())), period),
          );
        },
        (period * i) / publishers.length,
      );
      timers.push(start);
    });
  } else {
    for (const client of publishers) topUp(client);
  }
}

function stopPublishing(): void {
  publishing = false;
  for (const timer of timers) clearInterval(timer);
  timers = [];
}

process.on('message', (message: WorkerCommand) => {
  switch (message.cmd) {
    case 'connect':
      dialect = DIALECTS[message.dialect];
      connectAll(message.port, message.clients, message.concurrency).catch((error: unknown) =>
        send({ evt: 'error', message: String(error) }),
      );
      break;
    case 'measure':
      deliveries = 0;
      errors = 0;
      latenciesUs = [];
      sampleEvery = message.sampleEvery;
      sampleCountdown = message.sampleEvery;
      cpuAtMeasure = process.cpuUsage();
      break;
    case 'publish':
      startPublishing(message.window, message.perSecond);
      break;
    case 'stop-publishing':
      stopPublishing();
      break;
    case 'pause-one':
      clients.find((client) => !client.publisher)?.socket?.pause();
      break;
    case 'report': {
      const cpu = process.cpuUsage(cpuAtMeasure);
      send({
        evt: 'report',
        deliveries,
        latenciesUs,
        closed,
        errors,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
      break;
    }
    case 'close':
      stopPublishing();
      for (const client of clients) client.socket?.close();
      setTimeout(() => process.exit(0), 50);
      break;
  }
});
