import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { BridgeAnswerSchema, BridgeEventSchema, type BridgeAnswer, type BridgeEvent } from '../../shared/bridge-protocol';
import { channelNames, contract, lookupChannel, type AppErrorData, type Envelope } from '../../shared/contract';
import { Studio } from '../studio';
import { createDispatcher, type Dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { RendererPaths } from './renderer-paths';
import { sharedDataDir } from '../shared-data';
import type { IpcInvokeEventLike, IpcMainLike } from './ipc';

/*
 * Shared by the transport tests (ws-bridge, ipc, dispatcher): a real Studio on a temp library, a
 * WebSocket test client, an in-memory ipcMain, and malformed requests built from the contract.
 */

export interface TempStudio {
  studio: Studio;
  dispatch: Dispatch;
  dir: string;
  /** One request through the dispatcher; throws with the error's code and message if it fails. */
  call<T>(channel: string, request: unknown): Promise<T>;
  /** One request that must fail; answers its error. */
  fails(channel: string, request: unknown): Promise<AppErrorData>;
  close(): Promise<void>;
}

export function openTempStudio(): TempStudio {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jinxiu-transport-'));
  const studio = Studio.open({ libraryDir: path.join(dir, 'library') }).start();
  // The contract tests stand for a user who started the studio with the temp folder (their own
  // files), the repository (its fixtures) and the shared data picked; renderer-paths.test.ts covers
  // the refusals.
  const paths = new RendererPaths({ folders: [os.tmpdir(), REPO_ROOT, ...sharedDataIfThere()], forbidden: [studio.library.dir] });
  const dispatch = createDispatcher(contract, createHandlers(studio, paths));
  return {
    studio,
    dispatch,
    dir,
    async call<T>(channel: string, request: unknown): Promise<T> {
      const envelope = await dispatch(channel, request);
      if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.message}`);
      return envelope.value as T;
    },
    async fails(channel: string, request: unknown): Promise<AppErrorData> {
      const envelope = await dispatch(channel, request);
      if (envelope.ok) throw new Error(`${channel} should have failed`);
      return envelope.error;
    },
    async close() {
      await studio.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function sharedDataIfThere(): string[] {
  try {
    return [sharedDataDir()];
  } catch {
    return [];
  }
}

type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
};

/** The request schema of a channel as JSON Schema (input side, so defaulted fields are optional). */
export function requestJsonSchema(channel: string): JsonSchema {
  const def = lookupChannel(contract, channel);
  if (!def) throw new Error(`No channel ${channel}`);
  return z.toJSONSchema(def.request, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/**
 * A valid request for a channel, built from its JSON Schema; checked against the zod schema so a
 * channel whose schema this cannot sample fails loudly (extend sampleFromSchema) rather than being
 * skipped.
 */
export function sampleRequest(channel: string): unknown {
  const def = lookupChannel(contract, channel)!;
  const sample = sampleFromSchema(requestJsonSchema(channel));
  const checked = def.request.safeParse(sample);
  if (!checked.success) {
    throw new Error(`Cannot build a valid sample request for ${channel} (got ${JSON.stringify(sample)}): extend sampleFromSchema.`);
  }
  return sample;
}

function sampleFromSchema(schema: JsonSchema): unknown {
  if ('const' in schema) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice?.length) return sampleFromSchema(choice[0]!);
  if (schema.allOf?.length) return Object.assign({}, ...schema.allOf.map((s) => sampleFromSchema(s) as object));
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uuid') return crypto.randomUUID();
      if (schema.format === 'date-time') return new Date(0).toISOString();
      if (schema.format === 'email') return 'technician@example.com';
      const min = schema.minLength ?? 1;
      const max = schema.maxLength ?? Math.max(min, 12);
      if (schema.pattern) {
        // A fixed seed keeps the sample the same from run to run.
        const fitting = fc
          .sample(fc.stringMatching(new RegExp(schema.pattern)), { numRuns: 200, seed: 7 })
          .find((s) => s.length >= min && s.length <= max);
        if (fitting !== undefined) return fitting;
      }
      return 'Sample'.padEnd(min, 'x').slice(0, max);
    }
    case 'integer':
    case 'number': {
      const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      const high = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : low);
      return Math.min(Math.max(1, low), high);
    }
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleFromSchema(schema.items ?? {}));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sampleFromSchema(schema.properties?.[key] ?? {});
      return out;
    }
    default:
      return null;
  }
}

export interface MalformedRequest {
  channel: string;
  label: string;
  payload: unknown;
}

const NON_OBJECTS: Array<[string, unknown]> = [
  ['null', null],
  ['a number', 42],
  ['a string', 'projects'],
  ['an array', []],
  ['a boolean', true],
];
const WRONG_VALUES: unknown[] = [12345, 'wrong-type', true, null, { nested: 1 }, [1, 2], -1.5];

/**
 * For every channel of the contract: non-object payloads, an extra key, each required field
 * missing, and each field given a value of a type its schema refuses.
 */
export function malformedRequests(): MalformedRequest[] {
  const out: MalformedRequest[] = [];
  for (const channel of channelNames(contract)) {
    const def = lookupChannel(contract, channel)!;
    const valid = sampleRequest(channel) as Record<string, unknown>;
    const schema = requestJsonSchema(channel);
    for (const [label, payload] of NON_OBJECTS) out.push({ channel, label: `payload is ${label}`, payload });
    out.push({ channel, label: 'payload is missing', payload: undefined });
    out.push({ channel, label: 'an extra key', payload: { ...valid, unexpectedExtraKey: 1 } });
    out.push({ channel, label: 'a __proto__ key', payload: JSON.parse(`{"__proto__":{"polluted":true}}`) as unknown });
    for (const key of schema.required ?? []) {
      const payload = { ...valid };
      delete payload[key];
      out.push({ channel, label: `missing ${key}`, payload });
    }
    for (const key of Object.keys(schema.properties ?? {})) {
      const wrong = WRONG_VALUES.find((value) => !def.request.safeParse({ ...valid, [key]: value }).success);
      if (wrong !== undefined) out.push({ channel, label: `${key} of the wrong type (${JSON.stringify(wrong)})`, payload: { ...valid, [key]: wrong } });
    }
  }
  return out;
}

/** A WebSocket client speaking the bridge protocol, keeping every answer and event it receives. */
export class BridgeTestClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: Envelope) => void>();
  private readonly waitingUnaddressed: Array<(answer: Envelope) => void> = [];
  readonly events: BridgeEvent[] = [];
  private readonly eventWaiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame: unknown = JSON.parse(String(data));
      const event = BridgeEventSchema.safeParse(frame);
      if (event.success && !('id' in (frame as object))) {
        this.events.push(event.data);
        this.eventWaiters.splice(0).forEach((wake) => wake());
        return;
      }
      const answer: BridgeAnswer = BridgeAnswerSchema.parse(frame);
      if (answer.id === null) this.waitingUnaddressed.shift()?.(answer.answer as Envelope);
      else {
        this.waiting.get(answer.id)?.(answer.answer as Envelope);
        this.waiting.delete(answer.id);
      }
    });
  }

  static connect(url: string): Promise<BridgeTestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.once('open', () => resolve(new BridgeTestClient(socket)));
      socket.once('error', reject);
    });
  }

  request(channel: unknown, payload: unknown): Promise<Envelope> {
    const id = this.nextId++;
    return this.awaitAnswer(`request ${id} on ${String(channel).slice(0, 60)}`, (resolve) => {
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ id, channel, payload }));
    });
  }

  /** Sends a raw frame that is not a valid request and resolves with the `id: null` answer to it. */
  sendRaw(frame: string | Buffer, binary = false): Promise<Envelope> {
    return this.awaitAnswer(`raw frame of ${frame.length} bytes`, (resolve) => {
      this.waitingUnaddressed.push(resolve);
      this.socket.send(frame, { binary });
    });
  }

  /**
   * Fails fast with a clear reason when no answer comes (a closed socket, a lost id) instead of
   * hanging until the test timeout. Not a timing assertion: the limit is far above any real answer.
   */
  private awaitAnswer(what: string, send: (resolve: (answer: Envelope) => void) => void): Promise<Envelope> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No answer to ${what} (socket state ${this.socket.readyState}).`)), 20_000);
      send((answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
  }

  async waitForEvent(predicate: (event: BridgeEvent) => boolean): Promise<BridgeEvent> {
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      await new Promise<void>((wake) => this.eventWaiters.push(wake));
    }
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }
}

/**
 * An in-memory stand-in for Electron's ipcMain + ipcRenderer.invoke: Electron is not installed on
 * this machine (ELECTRON_SKIP_BINARY_DOWNLOAD), so the boundary is simulated. Like Electron, it
 * passes arguments and answers through the structured clone algorithm, and it reports the frame URL
 * the call came from.
 */
export class FakeIpcMain implements IpcMainLike {
  private readonly handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();

  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  get channels(): string[] {
    return [...this.handlers.keys()];
  }

  async invoke(frameUrl: string | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const listener = this.handlers.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    const cloned = structuredClone(args);
    const event: IpcInvokeEventLike = { senderFrame: frameUrl === null ? null : { url: frameUrl } };
    return structuredClone(await listener(event, ...cloned));
  }
}
