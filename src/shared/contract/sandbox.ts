/**
 * Commands of the sandbox (`npm run sandbox`): find a running sandbox and add its site.
 * Kept in their own file and spread into `commands`.
 */
export const sandboxCommands = {} as const;
