/**
 * Commands of the OpenSSH hand-off (generated ~/.ssh/onehop/config, ssh-agent, ~/.ssh/config
 * import). Kept in their own file and spread into `commands`.
 */
export const opensshCommands = {} as const;
