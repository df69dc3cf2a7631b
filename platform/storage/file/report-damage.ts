import type { Logger } from '../../logging/logger.js';
import type { JsonlDamage } from './jsonl-file.js';

/** Tells the operator what recovery found wrong in a data file (warn: data was set aside). */
export function reportDamage(logger: Logger, path: string, damage: readonly JsonlDamage[]): void {
  for (const entry of damage) {
    if (entry.kind === 'torn_tail') {
      logger.warn({ path, ...entry }, 'torn last line (crash during write) set aside');
    } else {
      logger.warn({ path, ...entry }, 'corrupt line skipped; the rest of the file is kept');
    }
  }
}
