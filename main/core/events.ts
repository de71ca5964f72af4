/** The typed event bus from services to hosts: a host forwards every event to its renderer(s). */
import { EventEmitter } from 'node:events';
import type { EventMessage, EventName, EventPayload } from '../../preload/shared/contract';

export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every connected renderer and the CLI progress bar subscribe; none of them leaks.
    this.emitter.setMaxListeners(0);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', { event, payload } as EventMessage);
  }

  subscribe(listener: (message: EventMessage) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
