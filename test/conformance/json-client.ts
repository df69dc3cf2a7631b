import type { ServerEvent } from '../support/ws-client.js';
import type { DrivenClient, SeenLeave } from './driven-client.js';

/** What every JSON-dialect client (WebSocket, SSE) was shown, normalized from its events. */
export abstract class JsonDrivenClient implements DrivenClient {
  abstract readonly name: string;
  abstract readonly ended: Promise<void>;
  abstract send(text: string): void;
  abstract stopReading(): void;
  abstract closeCleanly(): Promise<void>;
  abstract drop(): void;
  protected abstract events(): readonly ServerEvent[];

  messages(): string[] {
    return this.of('message')
      .filter((event) => event.history !== true)
      .map((event) => String(event.text));
  }

  history(): string[] {
    return this.of('message')
      .filter((event) => event.history === true)
      .map((event) => String(event.text));
  }

  privateMessages(): string[] {
    return this.of('private_message').map((event) => String(event.text));
  }

  errors(): string[] {
    return this.of('error').map((event) => String(event.code));
  }

  replies(): string[] {
    const answers = ['participants', 'help', 'history', 'rooms', 'ignored', 'goodbye'];
    return this.events()
      .map((event) => event.event_type)
      .filter((type) => answers.includes(type));
  }

  joins(): string[] {
    return this.of('participant_joined').map((event) => String(event.participant));
  }

  leaves(): SeenLeave[] {
    return this.of('participant_left').map((event) => ({
      participant: String(event.participant),
      reason: String(event.reason),
    }));
  }

  shutdownNotices(): number {
    return this.of('server_shutting_down').length;
  }

  private of(type: string): ServerEvent[] {
    return this.events().filter((event) => event.event_type === type);
  }
}
