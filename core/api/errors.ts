/**
 * The error codes and bodies the contract speaks in (defined in core/base/errors.ts, below
 * every core folder): the transports and the page import them from here with the contract.
 */
export * from '../base/errors.ts';
