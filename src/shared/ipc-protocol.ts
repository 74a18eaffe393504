/**
 * The Electron IPC transport's two channel names (the browser harness's transport is
 * bridge-protocol.ts). The preload invokes and listens on them, the main side's host/ipc.ts serves
 * them: both read them here, so neither side imports the other.
 *
 *   renderer -> main   invoke(IPC_INVOKE, channel, payload) -> envelope
 *   main -> renderer   send(IPC_EVENT, event, payload)
 */
export const IPC_INVOKE = 'jinxiu:invoke';
export const IPC_EVENT = 'jinxiu:event';
