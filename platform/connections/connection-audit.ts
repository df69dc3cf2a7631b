import type { Membership } from '../../business/chat/membership.js';
import type { Origin } from '../../business/chat/participant.js';
import type { AuditTrail, TransportKind } from '../../business/ports/audit-trail.js';

/** One connection's audit entries, worded the same for every transport. */
export class ConnectionAudit {
  constructor(
    private readonly trail: AuditTrail,
    private readonly transport: TransportKind,
    private readonly peer: Origin | undefined,
  ) {}

  opened(): void {
    this.trail.record({ event: 'connection_opened', transport: this.transport, ...this.peer });
  }

  closed(membership: Membership | undefined, reason: string): void {
    const { transport, peer } = this;
    this.trail.record({
      event: 'connection_closed',
      transport,
      ...peer,
      ...whoAndWhere(membership),
      reason,
    });
  }

  /** An error the client is shown. */
  error(membership: Membership | undefined, code: string, message: string): void {
    this.trail.record({ event: 'error', ...whoAndWhere(membership), code, message });
  }
}

function whoAndWhere(membership: Membership | undefined): { room?: string; participant?: string } {
  return membership ? { room: membership.room.id, participant: membership.name } : {};
}
