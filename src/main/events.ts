import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../shared/contract';

/** Main-side event bus of one Studio: each transport forwards it to its clients, and a command follows its jobs on it. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', event, payload);
  }

  subscribe(listener: (event: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
