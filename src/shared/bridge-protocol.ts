import { z } from 'zod';
import { EnvelopeSchema } from './contract/errors';

/**
 * Wire format of the loopback WebSocket bridge (the browser harness's transport; Electron uses IPC).
 * Connect to ws://127.0.0.1:PORT/bridge?token=TOKEN; a connection without the start's token is refused.
 *
 *   client -> main   { id, channel, payload }          one request
 *   main -> client   { id, answer }                    its envelope ({ ok, value } | { ok: false, error })
 *   main -> client   { event, payload }                a pushed event (job progress, job state, ...)
 *
 * A frame that is not valid JSON or not a request is answered with `{ id: null, answer: BAD_REQUEST }`.
 */
export const BRIDGE_PATH = '/bridge';

export const BridgeRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string().max(200),
  payload: z.unknown(),
});
export type BridgeRequest = z.infer<typeof BridgeRequestSchema>;

export const BridgeAnswerSchema = z.object({ id: z.number().int().nonnegative().nullable(), answer: EnvelopeSchema });
export type BridgeAnswer = z.infer<typeof BridgeAnswerSchema>;

export const BridgeEventSchema = z.object({ event: z.string(), payload: z.unknown() });
export type BridgeEvent = z.infer<typeof BridgeEventSchema>;
