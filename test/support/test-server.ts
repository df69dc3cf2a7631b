import { startParley, type RunningParley } from '../../cmd/server/compose.js';
import { DEFAULT_CONFIG, type ParleyConfig } from '../../platform/config/parley-config.js';
import { silentLogger } from '../../platform/logging/logger.js';
import { makeTempDir } from './temp-dir.js';

/** A Parley started in this process on 127.0.0.1 and a free port, with its own data dir. */
export interface TestServer {
  readonly parley: RunningParley;
  readonly url: string;
  readonly dataDir: string;
  /** ws://… URL for a path such as `/chat/join?name=…`. */
  ws(path: string): string;
  /** Graceful shutdown, then removes the data dir. */
  stop(): Promise<void>;
}

/** Starts a server composed exactly as production is, with test-friendly overrides. */
export async function startTestServer(overrides: Partial<ParleyConfig> = {}): Promise<TestServer> {
  const dir = await makeTempDir();
  const config: ParleyConfig = {
    ...DEFAULT_CONFIG,
    port: 0,
    tcpPort: 0, // off unless a test asks for it: see freeTcpPort
    dataDir: dir.path,
    shutdownTimeoutMs: 2000,
    // Tests send fast: the abuse limits are off unless a test turns them on (test/e2e/limits).
    rateLimit: 0,
    maxConnectionsPerIp: 0,
    roomCreationRate: 0,
    ...overrides,
  };
  const parley = await startParley(config, silentLogger());
  return {
    parley,
    url: parley.url,
    dataDir: dir.path,
    ws: (path) => parley.url.replace(/^http/, 'ws') + path,
    stop: async () => {
      await parley.shutdown();
      await dir.remove();
    },
  };
}

/** `/chat/join?…` with both parameters encoded. */
export function joinPath(roomId: string, name: string): string {
  return `/chat/join?name=${encodeURIComponent(name)}&room=${encodeURIComponent(roomId)}`;
}
