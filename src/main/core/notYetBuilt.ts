/**
 * TEMPORARY (removed before this session ends): handlers for contract commands whose services
 * are being built in parallel, so the contract can land first and every UI can code against it.
 */
import { ContractError } from '../../shared/contract';
import type { CommandHandlers } from './rpc/dispatcher';

type Name = keyof CommandHandlers;

export function notYetBuilt<N extends Name>(names: readonly N[]): Pick<CommandHandlers, N> {
  const refuse = () => {
    throw new ContractError({ code: 'internal', message: 'This command is not built yet.' });
  };
  return Object.fromEntries(names.map((name) => [name, refuse])) as unknown as Pick<
    CommandHandlers,
    N
  >;
}
