import { AppError, channelNames, contract, type EventName, type EventPayload, type Envelope, type StudioClient } from './contract';

/** What a transport must provide; Electron IPC (via preload) and the WebSocket bridge both do. */
export interface Transport {
  invoke(channel: string, payload: unknown): Promise<Envelope>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export interface StudioApi {
  client: StudioClient;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/**
 * Builds the typed client from the contract: one async function per channel, which throws an
 * AppError (with the main side's code) when the answer is an error.
 */
export function createStudioApi(transport: Transport): StudioApi {
  const client: Record<string, Record<string, (request: unknown) => Promise<unknown>>> = {};
  for (const name of channelNames(contract)) {
    const [ns, method] = name.split('.') as [string, string];
    client[ns] ??= {};
    client[ns][method] = async (request: unknown) => {
      const answer = await transport.invoke(name, request ?? {});
      if (answer.ok) return answer.value;
      throw new AppError(
        answer.error.code,
        answer.error.message,
        answer.error.details,
        answer.error.reason ? { reason: answer.error.reason, ...(answer.error.params ? { params: answer.error.params } : {}) } : undefined,
      );
    };
  }
  return {
    client: client as unknown as StudioClient,
    on(event, listener) {
      return transport.subscribe((name, payload) => {
        if (name === event) listener(payload as EventPayload<typeof event>);
      });
    },
  };
}
