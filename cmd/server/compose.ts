import { OriginPolicy } from '../../platform/auth/origin-policy.js';
import { TokenVerifier } from '../../platform/auth/token-verifier.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import 'reflect-metadata';
import { getHeapStatistics } from 'node:v8';
import type { Express } from 'express';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { ChatDependencies } from '../../business/chat/chat-dependencies.js';
import { ChatService, type ChatOptions } from '../../business/chat/chat-service.js';
import { CommandRunner } from '../../business/chat/command-runner.js';
import { RoomService } from '../../business/chat/room-service.js';
import { AdminService } from '../../business/admin/admin-service.js';
import { MessageSearch } from '../../business/admin/message-search.js';
import { AllSessions } from '../../platform/connections/all-sessions.js';
import type { AuditTrail } from '../../business/ports/audit-trail.js';
import type { Clock } from '../../business/ports/clock.js';
import type { EventBroker } from '../../business/ports/event-broker.js';
import type { IdGenerator } from '../../business/ports/id-generator.js';
import type { MessageStore } from '../../business/ports/message-store.js';
import type { PresenceRegistry } from '../../business/ports/presence-registry.js';
import type { RoomRepository } from '../../business/ports/room-repository.js';
import type { Timer } from '../../business/ports/timer.js';
import {
  FileAuditTrail,
  type FileAuditTrailOptions,
} from '../../platform/audit/file-audit-trail.js';
import { NoAuditTrail } from '../../platform/audit/no-audit-trail.js';
import { MemoryEventBroker } from '../../platform/broker/memory-event-broker.js';
import { SystemClock } from '../../platform/clock/system-clock.js';
import { SystemTimer } from '../../platform/clock/system-timer.js';
import type { ParleyConfig, StorageKind } from '../../platform/config/parley-config.js';
import { createHttpApp } from '../../platform/http/http-app.js';
import { checkReadiness } from '../../platform/lifecycle/readiness.js';
import { MessageLoggingBroker } from '../../platform/logging/message-logging-broker.js';
import { WritableProbe } from '../../platform/storage/file/writable-probe.js';
import { CountingBroker } from '../../platform/metrics/counting-broker.js';
import { createMetrics } from '../../platform/metrics/parley-metrics.js';
import { serverStats } from '../../platform/metrics/server-stats.js';
import { TransportCounters } from '../../platform/metrics/session-counters.js';
import { StorageTimings } from '../../platform/metrics/storage-timings.js';
import { KsuidIdGenerator } from '../../platform/ids/ksuid-id-generator.js';
import { ConnectionBudget, descriptorCap } from '../../platform/lifecycle/connection-budget.js';
import { DataDirLock } from '../../platform/lifecycle/data-dir-lock.js';
import { descriptorLimit } from '../../platform/lifecycle/descriptor-limit.js';
import { HttpConnections } from '../../platform/http/http-connections.js';
import { ParleyServer, type ParleyServerOptions } from '../../platform/lifecycle/parley-server.js';
import type { Logger } from '../../platform/logging/logger.js';
import { garbageCollector } from '../../platform/memory/garbage-collector.js';
import { MemoryGuard, memoryInUse } from '../../platform/memory/memory-guard.js';
import { checkMemoryLimit, type MemoryMarks } from '../../platform/memory/memory-limit.js';
import { MemoryPresenceRegistry } from '../../platform/presence/memory-presence-registry.js';
import { RedisPresenceRegistry } from '../../platform/presence/redis-presence-registry.js';
import { NodeLiveness } from '../../platform/presence/node-liveness.js';
import { RedisEventBroker } from '../../platform/broker/redis-event-broker.js';
import { RedisConnections } from '../../platform/redis/redis-connections.js';
import { ClusterOccupants } from '../../platform/redis/cluster-occupants.js';
import { RedisSsePostRelay } from '../../platform/redis/redis-sse-relay.js';
import { RedisMessageStore } from '../../platform/storage/redis/redis-message-store.js';
import { RedisRoomRepository } from '../../platform/storage/redis/redis-room-repository.js';
import { announceLeave } from '../../business/chat/announce-leave.js';
import { announceReturn } from '../../business/chat/announce-return.js';
import type { Occupants } from '../../business/ports/occupants.js';
import { FileMessageStore } from '../../platform/storage/file/file-message-store.js';
import type { FsyncPolicy } from '../../platform/storage/file/group-commit.js';
import { FileRoomRepository } from '../../platform/storage/file/file-room-repository.js';
import { MemoryMessageStore } from '../../platform/storage/memory/memory-message-store.js';
import { MemoryRoomRepository } from '../../platform/storage/memory/memory-room-repository.js';
import { TcpTransport, type TcpTransportOptions } from '../../platform/tcp/tcp-transport.js';
import { TelnetDialect } from '../../platform/dialects/telnet-dialect.js';
import { ChatrmDialect } from '../../platform/dialects/chatrm-dialect.js';
import { ChatrmDrops } from '../../platform/dialects/chatrm-drops.js';
import { SseTransport, type SseTransportOptions } from '../../platform/sse/sse-transport.js';
import type { Socket } from 'node:net';
import { WsTransport, type WsTransportOptions } from '../../platform/ws/ws-transport.js';
import { PantzChatters } from '../../platform/dialects/pantz-chatters.js';
import type { Transport } from '../../platform/connections/transport.js';
import type { SessionOptions } from '../../platform/connections/client-session.js';
import type { SessionSetOptions } from '../../platform/connections/session-set.js';
import { provide, provideValue, resolve, token } from './tokens.js';
import { parleyVersion } from './version.js';

/** The registration keys of everything the root wires. */
export const Tokens = {
  Config: token<ParleyConfig>('Config'),
  Logger: token<Logger>('Logger'),
  Rooms: token<RoomRepository>('RoomRepository'),
  Messages: token<MessageStore>('MessageStore'),
  Broker: token<EventBroker>('EventBroker'),
  Presence: token<PresenceRegistry>('PresenceRegistry'),
  Ids: token<IdGenerator>('IdGenerator'),
  Clock: token<Clock>('Clock'),
  Timer: token<Timer>('Timer'),
  ChatService: token<ChatService>('ChatService'),
  RoomService: token<RoomService>('RoomService'),
  CommandRunner: token<CommandRunner>('CommandRunner'),
  Audit: token<AuditTrail>('AuditTrail'),
  Budget: token<ConnectionBudget>('ConnectionBudget'),
  PantzChatters: token<PantzChatters>('PantzChatters'),
  WsTransport: token<WsTransport>('WsTransport'),
  TcpTransport: token<TcpTransport>('TcpTransport'),
  ChatrmTransport: token<TcpTransport>('ChatrmTransport'),
  ChatrmDrops: token<ChatrmDrops>('ChatrmDrops'),
  SseTransport: token<SseTransport>('SseTransport'),
  HttpConnections: token<HttpConnections>('HttpConnections'),
  MemoryGuard: token<MemoryGuard>('MemoryGuard'),
  Counters: token<TransportCounters>('TransportCounters'),
  CountingBroker: token<CountingBroker>('CountingBroker'),
  Metrics: token<Registry>('Metrics'),
  HttpApp: token<Express>('HttpApp'),
  Server: token<ParleyServer>('ParleyServer'),
  AdminService: token<AdminService>('AdminService'),
  MessageSearch: token<MessageSearch>('MessageSearch'),
  Occupants: token<Occupants>('Occupants'),
};

/** A started Parley: where it listens, and how to stop it. */
export interface RunningParley {
  readonly url: string;
  readonly port: number;
  /** The line driver's port; undefined when it is off (`--tcp-port 0`). */
  readonly tcpPort: number | undefined;
  /** The Chatrm port; undefined when it is off (`--chatrm-port 0`, the default). */
  readonly chatrmPort: number | undefined;
  readonly container: DependencyContainer;
  /** Graceful shutdown (see ParleyServer.shutdown). */
  shutdown(): Promise<void>;
}

/**
 * The composition root: builds every part for the configuration in a fresh child container,
 * then starts listening. The only code that sees both business and platform.
 */
export async function startParley(config: ParleyConfig, logger: Logger): Promise<RunningParley> {
  const container = rootContainer.createChildContainer();

  // ── Configuration and logging ────────────────────────────────────────────────────────────
  provideValue(container, Tokens.Config, config);
  provideValue(container, Tokens.Logger, logger);

  // ── Audit trail first: a file it cannot open stops the start before storage is opened ────
  const audit: FileAuditTrailOptions = {
    path: config.auditLog,
    maxBytes: config.auditLogMaxBytes,
    maxFiles: config.auditLogFiles,
  };
  provideValue(container, Tokens.Audit, await openAuditTrail(audit, logger));

  // ── Access tokens and browser origins (off / same-origin by default) ────────────────────
  const tokens = await TokenVerifier.fromSettings({
    secret: config.jwtSecret,
    publicKeyFile: config.jwtPublicKey,
    clockSkewMs: config.jwtClockSkewMs,
  });
  if (tokens !== undefined && config.chatrmPort !== 0) {
    throw new Error(
      "--chatrm-port must be 0 (off) when tokens are on: Chatrm's client cannot carry a token",
    );
  }
  const origins = new OriginPolicy(config.allowedOrigins);

  // ── Storage, chosen by --storage ─────────────────────────────────────────────────────────
  // A file store takes its data directory's lock first: one server per directory.
  const storageOptions: StorageOptions = {
    kind: config.storage,
    dataDir: config.dataDir,
    retention: config.retention,
    historyOnJoin: config.historyOnJoin,
    fsync: config.fsync,
    redisUrl: config.redisUrl,
  };
  const storageTimings = new StorageTimings();
  const storage = await openStorage(storageOptions, logger, storageTimings);
  provideValue(container, Tokens.Rooms, storage.rooms);
  provideValue(container, Tokens.Messages, storage.messages);
  // With Redis, this process is one node of several: its id labels its logs, /stats and
  // /metrics; presence keys its participants by the id and a suffix of this start's own, so a
  // node restarted under the same id never inherits its previous life's participants.
  const redis = storage.redis;
  const nodeId = config.nodeId === '' ? `${hostname()}-${process.pid}` : config.nodeId;
  const node = redis === undefined ? undefined : nodeId;
  const presenceNode = `${nodeId}/${randomUUID().slice(0, 8)}`;

  // ── Fan-out, presence, ids, time (in-process, or through Redis: one node of several) ───────
  // Counted for /metrics and /stats: room messages published on this node.
  provide(container, Tokens.CountingBroker, () => {
    const broker = redis
      ? new RedisEventBroker(redis.publisher, redis.subscriber, logger)
      : new MemoryEventBroker(logger);
    return new CountingBroker(
      config.logMessages ? new MessageLoggingBroker(broker, logger) : broker,
    );
  });
  provide(container, Tokens.Broker, (c) => resolve(c, Tokens.CountingBroker));
  provideValue(container, Tokens.Counters, new TransportCounters());
  const redisPresence = redis && new RedisPresenceRegistry(redis.commands, presenceNode, logger);
  provideValue(container, Tokens.Presence, redisPresence ?? new MemoryPresenceRegistry());
  provide(container, Tokens.Ids, () => new KsuidIdGenerator());
  provide(container, Tokens.Clock, () => new SystemClock());
  provide(container, Tokens.Timer, () => new SystemTimer());

  // ── Domain use cases ─────────────────────────────────────────────────────────────────────
  provide(container, Tokens.ChatService, (c) => {
    const options: ChatOptions = {
      historyOnJoin: config.historyOnJoin,
      presenceBatching: {
        above: config.presenceBatchAbove,
        intervalMs: config.presenceBatchIntervalMs,
      },
    };
    return new ChatService(chatDependencies(c), options, resolve(c, Tokens.RoomService));
  });
  provide(container, Tokens.RoomService, (c) => {
    return new RoomService(chatDependencies(c), {
      maxRooms: config.maxRooms,
      creationsPerMinute: config.roomCreationRate,
    });
  });

  provide(container, Tokens.CommandRunner, (c) => {
    const rooms = resolve(c, Tokens.RoomService);
    return new CommandRunner(rooms, resolve(c, Tokens.ChatService), resolve(c, Tokens.Audit));
  });

  // ── Transports: WebSocket on the HTTP server, the TCP line ports (telnet, Chatrm) beside it ─
  provide(container, Tokens.Budget, () => {
    const limit = descriptorLimit();
    const cap =
      limit === undefined ? undefined : { connections: descriptorCap(limit), warnEveryMs: 10_000 };
    return new ConnectionBudget(config.maxConnections, cap, logger, config.maxConnectionsPerIp);
  });
  const sessionServices = (c: DependencyContainer) => ({
    chat: resolve(c, Tokens.ChatService),
    rooms: resolve(c, Tokens.RoomService),
    commands: resolve(c, Tokens.CommandRunner),
    logger,
    counters: resolve(c, Tokens.Counters),
  });
  const sessionOptions: SessionOptions & SessionSetOptions = {
    sendBufferLimit: config.sendBufferLimit,
    closeGraceMs: config.pongTimeoutMs,
    rate: { perSecond: config.rateLimit, burst: config.rateBurst },
    idleTimeoutMs: config.idleTimeoutMs,
    pingIntervalMs: config.pingIntervalMs,
    pongTimeoutMs: config.pongTimeoutMs,
  };
  provide(container, Tokens.PantzChatters, () => new PantzChatters());
  provide(container, Tokens.WsTransport, (c) => {
    const options: WsTransportOptions = {
      ...sessionOptions,
      maxMessageBytes: config.maxMessageBytes,
      announceAddresses: config.announceAddresses,
      serverName: config.serverName,
      loginTimeoutMs: LINE_LOGIN_TIMEOUT_MS,
      ...(tokens && { tokens }),
      origins,
    };
    const audit = resolve(c, Tokens.Audit);
    const budget = resolve(c, Tokens.Budget);
    const chatters = resolve(c, Tokens.PantzChatters);
    return new WsTransport(sessionServices(c), audit, options, budget, logger, chatters);
  });
  provide(container, Tokens.TcpTransport, (c) => {
    const options: TcpTransportOptions = {
      ...sessionOptions,
      host: config.host,
      port: config.tcpPort,
      maxLineBytes: config.maxMessageBytes,
    };
    const dialect = new TelnetDialect({
      serverName: config.serverName,
      greetingDelayMs: TCP_GREETING_DELAY_MS,
      loginTimeoutMs: LINE_LOGIN_TIMEOUT_MS,
      announceAddresses: config.announceAddresses,
      tokens,
    });
    const audit = resolve(c, Tokens.Audit);
    const budget = resolve(c, Tokens.Budget);
    return new TcpTransport('tcp', dialect, sessionServices(c), audit, options, budget, logger);
  });
  // Chatrm's client says nothing while its user is quiet and cannot be told why it is closed:
  // no idle timeout on its port (dead peers are found by TCP keepalive, see TcpLink).
  provideValue(container, Tokens.ChatrmDrops, new ChatrmDrops(logger));
  provide(container, Tokens.ChatrmTransport, (c) => {
    const options: TcpTransportOptions = {
      ...sessionOptions,
      idleTimeoutMs: 0,
      host: config.host,
      port: config.chatrmPort,
      maxLineBytes: config.maxMessageBytes,
    };
    const dialect = new ChatrmDialect(resolve(c, Tokens.ChatrmDrops), logger);
    const audit = resolve(c, Tokens.Audit);
    const budget = resolve(c, Tokens.Budget);
    return new TcpTransport('chatrm', dialect, sessionServices(c), audit, options, budget, logger);
  });
  provide(container, Tokens.HttpConnections, (c) => new HttpConnections(resolve(c, Tokens.Budget)));
  provide(container, Tokens.SseTransport, (c) => {
    const options: SseTransportOptions = {
      ...sessionOptions,
      maxMessageBytes: config.maxMessageBytes,
      announceAddresses: config.announceAddresses,
      ...(tokens && { tokens }),
      origins,
      // Several nodes: a post may reach a node other than its stream's (no sticky sessions).
      ...(redis && { relay: new RedisSsePostRelay(redis.publisher, redis.subscriber, logger) }),
    };
    const connections = resolve(c, Tokens.HttpConnections);
    const handOver = (socket: Socket): void => connections.handOver(socket);
    const budget = resolve(c, Tokens.Budget);
    const audit = resolve(c, Tokens.Audit);
    return new SseTransport(sessionServices(c), audit, options, budget, handOver, logger);
  });
  const transports = (c: DependencyContainer): Transport[] => [
    resolve(c, Tokens.WsTransport),
    resolve(c, Tokens.TcpTransport),
    resolve(c, Tokens.ChatrmTransport),
    resolve(c, Tokens.SseTransport),
  ];
  const memoryProbe = { inUse: memoryInUse, collect: garbageCollector() };
  provide(container, Tokens.MemoryGuard, (c) => {
    const pace = { intervalMs: 250, shedFraction: 0.05, collectEveryMs: 1000 };
    const sessions = transports(c).map((transport) => transport.sessions);
    const marks = memoryMarks(config.maxMemoryBytes);
    return new MemoryGuard(sessions, { ...marks, ...pace }, logger, memoryProbe);
  });
  const startedAt = Date.now();
  const readiness = (c: DependencyContainer) => () =>
    checkReadiness({
      shuttingDown: () => resolve(c, Tokens.Server).shuttingDown,
      shedding: () => transports(c).some((transport) => transport.sessions.overloaded),
      storageWritable: storage.writable,
      brokerConnected: () => redis?.connected() ?? true, // the in-process broker always is
    });
  provide(container, Tokens.Metrics, (c) =>
    createMetrics({
      transports: () => transports(c),
      counters: resolve(c, Tokens.Counters),
      broker: resolve(c, Tokens.CountingBroker),
      storage: storageTimings,
      rooms: async () => (await resolve(c, Tokens.RoomService).list({ limit: 1 })).total,
      ready: async () => (await readiness(c)()).ready,
      ...(node !== undefined && { node }),
    }),
  );
  // ── The operator's use cases: over every transport's sessions, and over stored history ──────
  // With Redis, an operator's action reaches the clients of every node.
  provide(container, Tokens.Occupants, (c) => {
    const local = new AllSessions(transports(c).map((transport) => transport.sessions));
    if (redis === undefined) return local;
    const presence = resolve(c, Tokens.Presence);
    return new ClusterOccupants(local, redis.publisher, redis.subscriber, presence, nodeId, logger);
  });
  provide(container, Tokens.AdminService, (c) => {
    return new AdminService(chatDependencies(c), resolve(c, Tokens.Occupants));
  });
  provide(container, Tokens.MessageSearch, (c) => {
    const bounds = { maxScannedBytes: config.searchMaxBytes, maxMillis: SEARCH_MAX_MS };
    return new MessageSearch(chatDependencies(c), bounds);
  });
  provide(container, Tokens.HttpApp, (c) => {
    const stats = () =>
      serverStats({
        version: parleyVersion(),
        name: config.serverName,
        ...(node !== undefined && { node }),
        startedAt,
        options: {
          storage: config.storage,
          maxConnections: config.maxConnections,
          maxRooms: config.maxRooms,
          idleSeconds: config.idleTimeoutMs / 1000,
          maxMessageBytes: config.maxMessageBytes,
          sendBufferLimit: config.sendBufferLimit,
        },
        transports: () => transports(c),
        counters: resolve(c, Tokens.Counters),
        broker: resolve(c, Tokens.CountingBroker),
        rooms: resolve(c, Tokens.RoomService),
      });
    return createHttpApp({
      admin: {
        token: config.adminToken,
        admin: resolve(c, Tokens.AdminService),
        search: resolve(c, Tokens.MessageSearch),
      },
      rooms: resolve(c, Tokens.RoomService),
      logger,
      version: parleyVersion(),
      operations: {
        readiness: readiness(c),
        metrics: resolve(c, Tokens.Metrics),
        metricsToken: config.metricsToken,
        stats,
        logger,
      },
      sse: resolve(c, Tokens.SseTransport).routes,
      ...(tokens && { tokens }),
      pantz: {
        chatters: resolve(c, Tokens.PantzChatters),
        settings: {
          version: parleyVersion(),
          uuid: randomUUID().toUpperCase(),
          hostname: config.host,
          port: config.port,
          maxConns: config.maxConnections,
          maxRooms: config.maxRooms,
          maxIdle: Math.round(config.idleTimeoutMs / 1000),
          debugEnabled: config.logLevel === 'debug',
        },
      },
    });
  });
  // A dead node's participants are released by one survivor, which announces their leaves; a
  // participant this node records again after Redis lost it is announced as back, and one it
  // could not record again (its nickname taken meanwhile) is disconnected.
  const liveness =
    redisPresence &&
    new NodeLiveness(
      redisPresence,
      config.nodeTtlMs,
      {
        departed: (gone) => {
          const deps = chatDependencies(container);
          announceLeave(deps, gone.roomId, gone.participant, 'disconnected').catch(() => undefined);
        },
        restored: (held) => {
          const deps = chatDependencies(container);
          announceReturn(deps, held.roomId, held.participant).catch(() => undefined);
        },
        lost: (held) => {
          const told = 'your nickname was taken by someone else while this server was cut off';
          void resolve(container, Tokens.Occupants).kick(held.roomId, held.participant.name, told);
        },
      },
      logger,
    );
  provide(container, Tokens.Server, (c) => {
    const closables = [
      { name: 'node liveness', close: () => liveness?.stop() ?? Promise.resolve() },
      { name: 'message store', close: () => resolve(c, Tokens.Messages).close() },
      { name: 'room repository', close: () => resolve(c, Tokens.Rooms).close() },
      { name: 'event broker', close: () => resolve(c, Tokens.Broker).close() },
      { name: 'memory guard', close: () => Promise.resolve(resolve(c, Tokens.MemoryGuard).stop()) },
      { name: 'audit trail', close: () => resolve(c, Tokens.Audit).close() },
      { name: 'redis connections', close: () => redis?.close() ?? Promise.resolve() },
    ];
    const lock = storage.lock; // released last, once nothing more is written
    if (lock !== undefined)
      closables.push({ name: 'data directory lock', close: () => lock.release() });
    const app = resolve(c, Tokens.HttpApp);
    const upgrade = resolve(c, Tokens.WsTransport).handleUpgrade;
    const connections = resolve(c, Tokens.HttpConnections);
    const { host, port, shutdownTimeoutMs, headersTimeoutMs } = config;
    const options: ParleyServerOptions = { host, port, shutdownTimeoutMs, headersTimeoutMs };
    return new ParleyServer(app, upgrade, transports(c), connections, closables, options, logger);
  });

  // ── Start: not under a --max-memory the server already reaches with no client ─────────────
  const server = resolve(container, Tokens.Server);
  if (config.maxMemoryBytes > 0) checkMemoryLimit(memoryMarks(config.maxMemoryBytes), memoryProbe);
  await liveness?.start();
  const occupants = resolve(container, Tokens.Occupants);
  if (occupants instanceof ClusterOccupants) await occupants.start();
  const address = await server.listen();
  resolve(container, Tokens.MemoryGuard).start();
  return {
    url: server.url,
    port: address.http.port,
    tcpPort: address.transports.get('tcp')?.port,
    chatrmPort: address.transports.get('chatrm')?.port,
    container,
    shutdown: () => server.shutdown(),
  };
}

function chatDependencies(c: DependencyContainer): ChatDependencies {
  return {
    rooms: resolve(c, Tokens.Rooms),
    messages: resolve(c, Tokens.Messages),
    broker: resolve(c, Tokens.Broker),
    presence: resolve(c, Tokens.Presence),
    ids: resolve(c, Tokens.Ids),
    clock: resolve(c, Tokens.Clock),
    timer: resolve(c, Tokens.Timer),
  };
}

/** The guard's marks: --max-memory (or 80% of the heap limit), and 85% of that to recover. */
function memoryMarks(maxMemoryBytes: number): MemoryMarks {
  const high = maxMemoryBytes || Math.round(0.8 * getHeapStatistics().heap_size_limit);
  return { highWaterBytes: high, lowWaterBytes: Math.round(0.85 * high) };
}

// A MaChat client sends its handshake at once; a person at a telnet prompt does not notice 150 ms.
const TCP_GREETING_DELAY_MS = 150;
// A line client that has not joined a room within this time is let go.
const LINE_LOGIN_TIMEOUT_MS = 120_000;

// With --fsync interval, how often written lines are forced to disk (the README's "each second").
const FSYNC_INTERVAL_MS = 1000;
// One admin search stops after this long (and says so), whatever is left to read.
const SEARCH_MAX_MS = 2000;
// A file room quiet this long closes its file until next used.
const ROOM_IDLE_CLOSE_MS = 60_000;

/** No audit trail when --audit-log is empty. */
async function openAuditTrail(options: FileAuditTrailOptions, logger: Logger): Promise<AuditTrail> {
  if (options.path === '') return new NoAuditTrail();
  return FileAuditTrail.open(options, logger, new SystemClock());
}

/** The settings storage is chosen and opened with. */
interface StorageOptions {
  readonly kind: StorageKind;
  readonly dataDir: string;
  readonly retention: number;
  /** Sizes the file store's cache: a joiner's replay is served from memory. */
  readonly historyOnJoin: number;
  readonly fsync: FsyncPolicy;
  readonly redisUrl: string;
}

/** The storage ports, the data directory's lock, and whether storage takes writes now. */
interface OpenedStorage {
  readonly rooms: RoomRepository;
  readonly messages: MessageStore;
  readonly lock?: DataDirLock;
  /** With `--storage redis`: the node's connections, shared with fan-out and presence. */
  readonly redis?: RedisConnections;
  readonly writable: () => Promise<boolean>;
}

async function openStorage(
  options: StorageOptions,
  logger: Logger,
  timings: StorageTimings,
): Promise<OpenedStorage> {
  const { dataDir, retention } = options;
  switch (options.kind) {
    case 'memory': {
      const writable = (): Promise<boolean> => Promise.resolve(true);
      return {
        rooms: new MemoryRoomRepository(),
        messages: new MemoryMessageStore(retention),
        writable,
      };
    }
    case 'file': {
      const lock = await DataDirLock.acquire(dataDir);
      const rooms = await FileRoomRepository.open(dataDir, logger);
      const messages = await FileMessageStore.open(
        {
          dataDir,
          cacheSize: Math.min(Math.max(options.historyOnJoin, 64), retention),
          retention,
          fsync: options.fsync,
          fsyncIntervalMs: FSYNC_INTERVAL_MS,
          idleCloseMs: ROOM_IDLE_CLOSE_MS,
          timedWrite: timings.timedWrite,
        },
        logger,
      );
      const probe = new WritableProbe(dataDir);
      return { rooms, messages, lock, writable: () => probe.writable() };
    }
    case 'redis': {
      const redis = await RedisConnections.open(options.redisUrl, logger);
      const writable = (): Promise<boolean> =>
        redis.commands.ping().then(
          () => true,
          () => false,
        );
      return {
        rooms: new RedisRoomRepository(redis.commands),
        messages: new RedisMessageStore(redis.commands, retention),
        redis,
        writable,
      };
    }
  }
}
