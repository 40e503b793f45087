// The error for a payload that breaks the contract; its message says what is wrong in the
// user's terms. In its own module so validators in several files can share it without
// importing each other.
export class ContractError extends Error {
  override name = 'ContractError';
}
