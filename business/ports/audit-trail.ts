/** Which transport a connection came in on, by its name (`websocket`, `tcp`, `sse`…). */
export type TransportKind = string;

/**
 * One thing worth auditing (chat-server's log file): who connected from where, what was said
 * in public and in private, which commands ran, which errors clients were shown. The trail
 * adds the timestamp.
 */
export type AuditEntry =
  | {
      readonly event: 'connection_opened';
      readonly transport: TransportKind;
      readonly address?: string;
      readonly port?: number;
    }
  | {
      readonly event: 'connection_closed';
      readonly transport: TransportKind;
      readonly address?: string;
      readonly port?: number;
      readonly room?: string;
      readonly participant?: string;
      readonly reason: string;
    }
  | {
      readonly event: 'message';
      readonly room: string;
      readonly participant: string;
      readonly id: string;
      readonly text: string;
    }
  | {
      readonly event: 'private_message';
      readonly room: string;
      readonly from: string;
      readonly to: string;
      readonly text: string;
    }
  | {
      readonly event: 'command';
      readonly room: string;
      readonly participant: string;
      readonly command: string;
      readonly line: string;
    }
  | {
      readonly event: 'error';
      readonly room?: string;
      readonly participant?: string;
      readonly code: string;
      readonly message: string;
    };

/**
 * Where audit entries go. `record` must return at once and never throw: auditing must not slow
 * or break a conversation (an implementation that cannot write reports it and carries on).
 */
export interface AuditTrail {
  record(entry: AuditEntry): void;
  /** Writes what is pending and releases the file. */
  close(): Promise<void>;
}
