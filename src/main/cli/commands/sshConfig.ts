/** `onehop ssh-config`: print the OpenSSH configuration, or add/remove the Include line. */
import { UsageError, type CommandSpec } from '../command';

export const sshConfigCommands: CommandSpec[] = [
  {
    words: ['ssh-config'],
    args: [],
    flags: ['site', 'install', 'uninstall'],
    async run({ client, flags, stdout }) {
      if (flags.install && flags.uninstall) {
        throw new UsageError('Use --install or --uninstall, not both.');
      }
      if ((flags.install || flags.uninstall) && flags.site !== undefined) {
        throw new UsageError('--site only chooses what is printed; the Include covers every site.');
      }
      if (flags.install) {
        const result = await client.call('openssh.installInclude', {});
        stdout(
          result.changed
            ? `Added "Include" of OneHop's configuration at the top of ${result.path}` +
                (result.backupPath ? ` (backup: ${result.backupPath}).\n` : '.\n')
            : `${result.path} already includes OneHop's configuration.\n`,
        );
        return;
      }
      if (flags.uninstall) {
        const result = await client.call('openssh.removeInclude', {});
        stdout(
          result.changed
            ? `Removed OneHop's Include block from ${result.path} (backup: ${result.backupPath ?? 'none'}).\n`
            : `${result.path} has no OneHop Include block.\n`,
        );
        return;
      }
      const { text } = await client.call('openssh.config', {
        ...(flags.site === undefined ? {} : { site: flags.site }),
      });
      stdout(text);
    },
  },
];
