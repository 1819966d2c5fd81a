export { TerminalService, type TerminalServiceOptions } from './terminalService';
export { TerminalSession, HIGH_WATER_CHARS, LOW_WATER_CHARS } from './terminalSession';
export { createTerminalHandlers } from './commands';
