import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeRequestSchema } from '../../shared/bridge-protocol';
import { channelNames, contract, ERROR_CODES, lookupChannel, type Envelope, type ErrorCode } from '../../shared/contract';
import { IPC_INVOKE } from '../../shared/ipc-protocol';
import { serveIpc } from './ipc';
import { BridgeTestClient, FakeIpcMain, malformedRequests, openTempStudio, type TempStudio } from './transport-test-kit';
import { startWsBridge, type WsBridge } from './ws-bridge';

/*
 * Every transport serves the same handler table, and none of them may be crashed, confused or
 * polluted by what a client sends. The dispatcher is tested directly; the WebSocket bridge is the
 * real one on 127.0.0.1; IPC goes through FakeIpcMain, because Electron is not installed on this
 * machine (its binary download is skipped): the stand-in clones values the way Electron's IPC does.
 * Behind all three is a real Studio on a temp library.
 */

const RUNS = Number(process.env.JINXIU_FUZZ_RUNS ?? 3000);
const APP_URL = 'file:///opt/jinxiu/out/renderer/index.html';

let temp: TempStudio;
let bridge: WsBridge;

beforeAll(async () => {
  temp = openTempStudio();
  bridge = await startWsBridge({ dispatch: temp.dispatch, events: temp.studio.events });
});

afterAll(async () => {
  await bridge.close();
  await temp.close();
});

// ---------------------------------------------------------------------------------------------
// What a request must get back, decided from the contract alone.

/** The code a request must be answered with, or 'handled' when it is valid and reaches a handler. */
function expectedCode(channel: unknown, payload: unknown): ErrorCode | 'handled' {
  if (typeof channel !== 'string') return 'BAD_REQUEST';
  const def = lookupChannel(contract, channel);
  if (!def) return 'UNKNOWN_CHANNEL';
  return def.request.safeParse(payload).success ? 'handled' : 'BAD_REQUEST';
}

function checkAnswer(answer: Envelope, expected: ErrorCode | 'handled', what: string): void {
  if (expected === 'handled') {
    // A valid request may fail for its own reasons (NOT_FOUND, CONFLICT, ...), but never as a
    // crash of the transport or the dispatcher.
    if (!answer.ok) {
      expect(ERROR_CODES, what).toContain(answer.error.code);
      expect(answer.error.code, `${what}: ${answer.error.message}`).not.toBe('INTERNAL');
      expect(['BAD_REQUEST', 'UNKNOWN_CHANNEL'], what).not.toContain(answer.error.code);
    }
    return;
  }
  expect(answer.ok, what).toBe(false);
  if (!answer.ok) expect(answer.error.code, `${what}: ${answer.error.message}`).toBe(expected);
}

function objectPrototypeIsClean(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect((({}) as Record<string, unknown>).polluted).toBeUndefined();
  expect((({}) as Record<string, unknown>).isAdmin).toBeUndefined();
}
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** After the storm: a valid create and list still work, and the library is healthy. */
async function stillServes(invoke: (channel: string, payload: unknown) => Promise<Envelope>, name: string): Promise<void> {
  const created = await invoke('projects.create', { name });
  expect(created).toMatchObject({ ok: true, value: { name } });
  const list = await invoke('projects.list', {});
  expect(list.ok && (list.value as Array<{ name: string }>).map((p) => p.name)).toContain(name);
  const info = await invoke('system.libraryInfo', {});
  expect(info).toMatchObject({ ok: true, value: { integrity: 'ok' } });
  objectPrototypeIsClean();
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: channel names, payloads and frames, from plausible to hostile.

const POISON_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const channelArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...channelNames(contract)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '.',
      'projects.',
      '.list',
      'projects..list',
      'projects.list.extra',
      ...POISON_KEYS,
      ...POISON_KEYS.map((k) => `projects.${k}`),
      ...POISON_KEYS.map((k) => `${k}.list`),
      '__proto__.__proto__',
      'constructor.prototype',
    ),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.string({ minLength: 150, maxLength: 400 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** `{"__proto__": ...}` as JSON.parse makes it: an own key, the way a hostile frame arrives. */
const poisonedArb: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(...POISON_KEYS), fc.jsonValue({ maxDepth: 2 }), fc.option(fc.string({ maxLength: 20 })))
  .map(([key, value, name]) =>
    JSON.parse(
      `{${JSON.stringify(key)}: ${JSON.stringify(value ?? null)}, "constructor": {"prototype": {"polluted": true}},` +
        ` "__proto__": {"isAdmin": true}${name === null ? '' : `, "name": ${JSON.stringify(name)}`}}`,
    ) as unknown,
  );

/** Requests that are nearly right: the fields the contract uses, with values right and wrong. */
const nearValidArb: fc.Arbitrary<unknown> = fc.record(
  {
    name: fc.oneof(fc.string({ maxLength: 30 }), fc.string({ minLength: 190, maxLength: 220 }), fc.integer()),
    id: fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.constantFrom('sd15-ip-adapter', 'a', '../../etc')),
    jobId: fc.oneof(fc.uuid(), fc.string({ maxLength: 10 })),
    states: fc.oneof(fc.array(fc.constantFrom('queued', 'running', 'failed', 'nope')), fc.string()),
    limit: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), fc.constant(null)),
  },
  { requiredKeys: [] },
);

/** Strings from 64 KiB to 3 MiB; few of them, they cost time. */
const hugeStringArb = fc.constantFrom(64 * 1024, 1024 * 1024, 3 * 1024 * 1024).map((n) => 'x'.repeat(n));

const payloadArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 4, arbitrary: nearValidArb },
  { weight: 3, arbitrary: poisonedArb },
  { weight: 1, arbitrary: hugeStringArb },
  { weight: 1, arbitrary: hugeStringArb.map((name) => ({ name })) },
);

type Frame = { kind: 'request'; id: number; channel: unknown; payload: unknown } | { kind: 'raw'; text: string } | { kind: 'binary'; bytes: Uint8Array };

const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('request' as const), id: fc.nat(), channel: channelArb, payload: payloadArb }) },
  // Broken JSON text: random text, and cut-off or edited real requests.
  { weight: 2, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }).map((text) => ({ kind: 'raw' as const, text })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(channelArb, payloadArb, fc.nat(), fc.nat())
      .map(([channel, payload, cut, id]) => {
        const text = JSON.stringify({ id, channel, payload }) ?? '';
        return { kind: 'raw' as const, text: text.slice(0, cut % Math.max(1, text.length)) };
      }),
  },
  // Any JSON value as a whole frame: arrays, numbers, objects with an id but no channel, ...
  {
    weight: 2,
    arbitrary: fc
      .oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ id: fc.oneof(fc.integer(), fc.string(), fc.double()), channel: channelArb }, { requiredKeys: [] }))
      .map((value) => ({ kind: 'raw' as const, text: JSON.stringify(value) ?? 'null' })),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'binary' as const, bytes })) },
);

// ---------------------------------------------------------------------------------------------

describe('the dispatcher', () => {
  it('answers BAD_REQUEST for every malformed request of every channel, and UNKNOWN_CHANNEL for unknown ones', async () => {
    const before = await temp.dispatch('projects.list', {});
    const cases = malformedRequests();
    // Every channel of the contract is covered.
    expect(new Set(cases.map((c) => c.channel))).toEqual(new Set(channelNames(contract)));
    for (const { channel, label, payload } of cases) {
      const answer = await temp.dispatch(channel, payload);
      expect(answer, `${channel}: ${label}`).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    for (const name of ['nope', 'projects.nope', 'nope.list', 'projects.__proto__', '__proto__.x', 'constructor', 'projects.toString', '']) {
      expect(await temp.dispatch(name, {}), name).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
    expect(await temp.dispatch('projects.list', {})).toEqual(before);
  });
});

describe(`fuzzing the WebSocket bridge (${RUNS} frames)`, () => {
  it('answers every frame as the protocol says, stays up and keeps serving', async () => {
    const client = await BridgeTestClient.connect(bridge.url);
    try {
      await fc.assert(
        fc.asyncProperty(frameArb, async (frame) => {
          if (frame.kind === 'binary') {
            const answer = await client.sendRaw(Buffer.from(frame.bytes), true);
            checkAnswer(answer, 'BAD_REQUEST', 'a binary frame');
            return;
          }
          if (frame.kind === 'raw') {
            const parsed = safeJson(frame.text);
            const request = parsed.ok ? BridgeRequestSchema.safeParse(parsed.value) : null;
            if (request?.success) {
              // Rarely, an edited frame is still a request: it must then be answered with its id.
              const answer = await client.request(request.data.channel, request.data.payload);
              checkAnswer(answer, expectedCode(request.data.channel, request.data.payload), 'a raw frame that is a request');
            } else {
              checkAnswer(await client.sendRaw(frame.text), 'BAD_REQUEST', `raw frame ${frame.text.slice(0, 60)}`);
            }
            return;
          }
          const wire = JSON.stringify({ id: frame.id, channel: frame.channel, payload: frame.payload });
          const asSent = JSON.parse(wire) as { channel: unknown; payload: unknown };
          if (!BridgeRequestSchema.safeParse(asSent).success) {
            checkAnswer(await client.sendRaw(wire), 'BAD_REQUEST', 'a request frame the protocol refuses');
            return;
          }
          const answer = await client.request(asSent.channel, asSent.payload);
          checkAnswer(answer, expectedCode(asSent.channel, asSent.payload), `request on ${labelOf(asSent.channel)}`);
        }),
        { numRuns: RUNS },
      );
      expect(client.open).toBe(true);
      await stillServes((channel, payload) => client.request(channel, payload), 'After the websocket storm');
    } finally {
      await client.close();
    }
  });
});

describe(`fuzzing the IPC adapter (${RUNS} calls)`, () => {
  it('answers every call as the contract says, refuses foreign frames, stays up and keeps serving', async () => {
    const ipc = new FakeIpcMain();
    const stop = serveIpc(ipc, temp.dispatch, temp.studio.events, () => [], { appUrl: APP_URL });
    const frameUrlArb = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(APP_URL, `${APP_URL}#/motifs`, `${APP_URL}?lang=zh`) },
      { weight: 1, arbitrary: fc.constantFrom(null, 'https://evil.example/', 'file:///tmp/x.html', 'about:blank', 'devtools://devtools') },
      { weight: 1, arbitrary: fc.webUrl() },
    );
    // IPC carries structured-clone values, not just JSON: Maps, Dates, typed arrays, BigInts, ...
    const anythingArb = fc.anything({
      maxDepth: 3,
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    });
    const callArb = fc.record({
      frameUrl: frameUrlArb,
      channel: fc.oneof({ weight: 4, arbitrary: channelArb }, { weight: 1, arbitrary: anythingArb }),
      payload: fc.oneof({ weight: 3, arbitrary: payloadArb }, { weight: 2, arbitrary: anythingArb }),
      extra: fc.array(anythingArb, { maxLength: 2 }),
    });
    try {
      await fc.assert(
        fc.asyncProperty(callArb, async ({ frameUrl, channel, payload, extra }) => {
          // What main would receive after Electron's clone.
          const [channelSeen, payloadSeen] = structuredClone([channel, payload]);
          const trusted = frameUrl !== null && (frameUrl === APP_URL || frameUrl.startsWith(`${APP_URL}#`) || frameUrl.startsWith(`${APP_URL}?`));
          const answer = (await ipc.invoke(frameUrl, IPC_INVOKE, channel, payload, ...extra)) as Envelope;
          checkAnswer(answer, trusted ? expectedCode(channelSeen, payloadSeen) : 'UNAUTHORIZED', `call from ${frameUrl} on ${labelOf(channelSeen)}`);
        }),
        { numRuns: RUNS },
      );
      await stillServes((channel, payload) => ipc.invoke(APP_URL, IPC_INVOKE, channel, payload) as Promise<Envelope>, 'After the IPC storm');
    } finally {
      stop();
    }
  });
});

/** A label for any value, including null-prototype objects that String() cannot convert. */
function labelOf(value: unknown): string {
  try {
    return (typeof value === 'string' ? value : (JSON.stringify(value) ?? typeof value)).slice(0, 60);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function safeJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
