import { type Redactor, redactDeep } from "@tiklive/core/internal";

/**
 * Where a signer writes what it does. Both methods are optional; `console` fits.
 * Every line and every string in `data` is redacted before it is passed on: API keys,
 * JWTs and session ids never reach a logger.
 */
export interface SignerLogger {
  /** One line per request and per outcome. */
  debug?(message: string, data?: Record<string, unknown>): void;
  /** Something the user should fix or know (a degraded sign server, an ignored header). */
  warn?(message: string, data?: Record<string, unknown>): void;
}

/** A logger whose lines are redacted; a missing method is a no-op. */
export interface RedactedLog {
  debug(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
}

/** Wraps `logger` so every message and data string goes through `redact` first. */
export function createRedactedLog(logger: SignerLogger | undefined, redact: Redactor): RedactedLog {
  const write = (
    level: "debug" | "warn",
    message: string,
    data: Record<string, unknown> | undefined,
  ): void => {
    const method = logger?.[level];
    if (method === undefined) return;
    // A throwing logger must not turn a signed session into a failure.
    try {
      if (data === undefined) method.call(logger, redact(message));
      else method.call(logger, redact(message), redactDeep(data, redact) as Record<string, unknown>);
    } catch {
      // ignored on purpose
    }
  };
  return {
    debug: (message, data) => write("debug", message, data),
    warn: (message, data) => write("warn", message, data),
  };
}
