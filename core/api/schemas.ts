/**
 * The shared shapes the contract's operations carry (defined in core/base/schemas.ts, below
 * every core folder): the transports and the page import them from here with the contract.
 */
export * from '../base/schemas.ts';
