import type { AuditEntry, AuditTrail } from '../../business/ports/audit-trail.js';

/** The trail when auditing is off: entries go nowhere. */
export class NoAuditTrail implements AuditTrail {
  record(_entry: AuditEntry): void {}

  close(): Promise<void> {
    return Promise.resolve();
  }
}
