import type { Message } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import type { FastDecode } from "./fast/fast-path.js";
import type { MessageEventName, TikTokEvent } from "./types.js";
import type { MessageEnvelope } from "./user.js";

/**
 * How one wire method becomes events: its schema, the event names it can produce
 * (used to skip decoding when nobody wants them), and its pure mapper.
 */
export interface MessageHandler<M extends Message = Message> {
  /** The wire method name, e.g. `WebcastChatMessage` (the schema's message name). */
  readonly method: string;
  readonly schema: GenMessage<M>;
  /** Every event name `map` can return. */
  readonly events: readonly MessageEventName[];
  readonly map: (message: M, envelope: MessageEnvelope) => TikTokEvent | readonly TikTokEvent[];
  /**
   * Optional fast path: payload straight to the same events, reading only what `map` needs;
   * `raw` is then decoded on first access. Used instead of schema + map when present.
   */
  readonly fast?: FastDecode;
}

/** A handler of any message type (the registry's element type). */
// biome-ignore lint/suspicious/noExplicitAny: handlers are contravariant in their message type.
export type AnyMessageHandler = MessageHandler<any>;

/** Declares a {@link MessageHandler}; the method name is the schema's message name. */
export function defineHandler<M extends Message>(
  schema: GenMessage<M>,
  events: readonly MessageEventName[],
  map: (message: M, envelope: MessageEnvelope) => TikTokEvent | readonly TikTokEvent[],
  fast?: FastDecode,
): MessageHandler<M> {
  return fast === undefined
    ? { method: schema.name, schema, events, map }
    : { method: schema.name, schema, events, map, fast };
}

/** Method name -> handler. One per client: registering a schema never affects another client. */
export interface MessageRegistry {
  get(method: string): AnyMessageHandler | undefined;
  /** Adds a handler, or replaces the one for the same method (custom or newer schemas). */
  register(handler: AnyMessageHandler): void;
  /** Every registered method name. */
  methods(): string[];
}

/** Creates a registry holding `handlers` (default: every message tiklive maps). */
export function createMessageRegistry(handlers: readonly AnyMessageHandler[]): MessageRegistry {
  const table = new Map<string, AnyMessageHandler>();
  const registry: MessageRegistry = {
    get: (method) => table.get(method),
    register(handler) {
      table.set(handler.method, handler);
    },
    methods: () => [...table.keys()],
  };
  for (const handler of handlers) registry.register(handler);
  return registry;
}
