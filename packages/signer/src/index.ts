// @tiklive/signer: signed sessions for tiklive. First what users need, then what
// signer authors need.

export type { EulerSignerOptions } from "./euler-options.js";
export { eulerBaseUrl } from "./euler-options.js";
export type { EulerSigner, SendChatRequest } from "./euler-signer.js";
// The Euler Stream sign server
export { createEulerSigner } from "./euler-signer.js";
// Logging
export type { SignerLogger } from "./logger.js";
// For custom signers: the parsers the Euler signer uses
export { parseSetCookieHeader } from "./set-cookie.js";
export type { SignerChain, SignerChainOptions, SignerState, SignerStatus } from "./signer-chain.js";
// Failover between signers
export { createSignerChain } from "./signer-chain.js";
export { signerVersion } from "./version.js";
