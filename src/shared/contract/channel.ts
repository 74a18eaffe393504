import type { z } from 'zod';

/** One request/response channel of the contract. */
export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  /** One line for generated docs and error messages. */
  readonly summary: string;
}

export function channel<Req extends z.ZodType, Res extends z.ZodType>(
  summary: string,
  request: Req,
  response: Res,
): ChannelDef<Req, Res> {
  return { summary, request, response };
}

/** A namespace groups the channels of one domain: `projects.create` is `{ projects: { create } }`. */
export type Namespace = Record<string, ChannelDef>;
export type ContractShape = Record<string, Namespace>;

export type RequestOf<C extends ChannelDef> = z.input<C['request']>;
export type ParsedRequestOf<C extends ChannelDef> = z.output<C['request']>;
export type ResponseOf<C extends ChannelDef> = z.output<C['response']>;

/** What the renderer holds: `client.projects.create({ name })`. */
export type ClientOf<C extends ContractShape> = {
  [NS in keyof C]: { [M in keyof C[NS]]: (request: RequestOf<C[NS][M]>) => Promise<ResponseOf<C[NS][M]>> };
};

/** What main implements: one function per channel, receiving the parsed request. */
export type HandlersOf<C extends ContractShape> = {
  [NS in keyof C]: {
    [M in keyof C[NS]]: (request: ParsedRequestOf<C[NS][M]>) => Promise<ResponseOf<C[NS][M]>> | ResponseOf<C[NS][M]>;
  };
};

/** Wire names of all channels, `namespace.method`. */
export function channelNames(contract: ContractShape): string[] {
  return Object.entries(contract).flatMap(([ns, methods]) => Object.keys(methods).map((m) => `${ns}.${m}`));
}

export function lookupChannel(contract: ContractShape, name: string): ChannelDef | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const ns = name.slice(0, dot);
  const method = name.slice(dot + 1);
  if (!Object.hasOwn(contract, ns)) return undefined;
  const space = contract[ns]!;
  return Object.hasOwn(space, method) ? space[method] : undefined;
}
