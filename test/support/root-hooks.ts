import { killLeftoverChildren, killSharedChildren } from './child-server.js';
import { killLeftoverRedis } from './redis-server.js';

/**
 * Mocha root hooks (loaded by .mocharc.json). A test that fails half-way may leave a server
 * child process running; kill it so the run still ends, and say so.
 */
export const mochaHooks = {
  afterEach(): void {
    const leftover = killLeftoverChildren();
    if (leftover > 0) console.warn(`      (killed ${leftover} child server(s) left running)`);
  },
  afterAll(): void {
    killSharedChildren();
    const redis = killLeftoverRedis();
    if (redis > 0) console.warn(`      (killed ${redis} redis-server(s) left running)`);
  },
};
