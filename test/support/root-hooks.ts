import { killLeftoverChildren, killSharedChildren } from './child-server.js';

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
  },
};
