/**
 * What every command handler shares: the refusal with a stable code, the payload type of each
 * command, and how a handler is registered (commands.ts owns the checks every command passes).
 */
import type { COMMANDS, CommandErrorCode } from '@kaptar/protocol';
import type { Static } from '@sinclair/typebox';

export type CommandName = keyof typeof COMMANDS;
export type Payload<E extends CommandName> = Static<(typeof COMMANDS)[E]>;

/** Registers a handler: its payload is checked against its schema first, its answer is the ack. */
export type RegisterCommand = <E extends CommandName>(
  event: E,
  handle: (payload: Payload<E>) => Promise<object>,
) => void;

/** A refusal with a stable code, sent back in the acknowledgement. */
export class CommandError extends Error {
  constructor(
    readonly code: CommandErrorCode,
    message: string,
  ) {
    super(message);
  }
}
