/**
 * Preloaded into every server the benchmark starts (`node --expose-gc --import …`): SIGUSR2
 * forces a full garbage collection, so memory is measured the same way for every server
 * without adding anything to their code.
 */
const gc = (globalThis as { gc?: () => void }).gc;
process.on('SIGUSR2', () => gc?.());
