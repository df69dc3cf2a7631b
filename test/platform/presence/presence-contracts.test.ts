import { MemoryPresenceRegistry } from '../../../platform/presence/memory-presence-registry.js';
import { describePresenceRegistryContract } from './presence-registry.contract.js';

// One process is one node: every node of the subject is the same registry.
describePresenceRegistryContract('memory', () => {
  const registry = new MemoryPresenceRegistry();
  return Promise.resolve({
    node: () => Promise.resolve(registry),
    cleanup: () => Promise.resolve(),
  });
});
