import type { z } from 'zod';
import { AppError, lookupChannel, type ContractShape, type Envelope } from '../../shared/contract';

type AnyHandler = (request: unknown) => unknown;
type AnyHandlers = Record<string, Record<string, AnyHandler>>;

/** A short, readable summary of what was wrong with a request. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(request)'}: ${i.message}`)
    .join('; ');
}

/**
 * The one entry every transport calls. Never throws: an unknown channel, a request that fails its
 * schema, a handler error or a handler answer that breaks the contract all become typed errors.
 */
export function createDispatcher<C extends ContractShape>(contract: C, handlers: object) {
  const table = handlers as AnyHandlers;
  return async function dispatch(channelName: unknown, payload: unknown): Promise<Envelope> {
    if (typeof channelName !== 'string') {
      return fail(new AppError('BAD_REQUEST', 'The channel name must be a string.'));
    }
    const def = lookupChannel(contract, channelName);
    const [ns, method] = splitName(channelName);
    const handler = def && ns && method ? table[ns]?.[method] : undefined;
    if (!def || !handler) return fail(new AppError('UNKNOWN_CHANNEL', `There is no channel named "${channelName.slice(0, 100)}".`));

    const parsed = def.request.safeParse(payload);
    if (!parsed.success) {
      return fail(new AppError('BAD_REQUEST', `Bad request for ${channelName}: ${describeIssues(parsed.error)}`));
    }
    try {
      const value = await handler(parsed.data);
      const checked = def.response.safeParse(value);
      if (!checked.success) {
        return fail(new AppError('INTERNAL', `The answer of ${channelName} broke the contract: ${describeIssues(checked.error)}`));
      }
      return { ok: true, value: checked.data };
    } catch (err) {
      return fail(err);
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

function splitName(name: string): [string | undefined, string | undefined] {
  const dot = name.indexOf('.');
  return dot > 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [undefined, undefined];
}

export function fail(err: unknown): Envelope {
  if (err instanceof AppError) return { ok: false, error: err.toData() };
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOSPC') return { ok: false, error: { code: 'DISK_FULL', message: `The disk is full: ${e.message}` } };
  const message = err instanceof Error ? err.message : String(err);
  return { ok: false, error: { code: 'INTERNAL', message: `Internal error: ${message}` } };
}
