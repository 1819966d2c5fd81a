/** `onehop hosts …`: list, add, remove. */
import { portFlag, type CommandSpec } from '../command';
import { hostRows, hostsTable, json } from '../output';

export const hostsCommands: CommandSpec[] = [
  {
    words: ['hosts'],
    args: [],
    flags: ['json'],
    async run({ client, flags, stdout }) {
      const { settings } = await client.call('settings.get', {});
      const rows = hostRows(settings);
      stdout(flags.json ? json({ hosts: rows }) : hostsTable(rows));
    },
  },
  {
    words: ['hosts', 'add'],
    args: ['name'],
    flags: ['site', 'host-name', 'port', 'login', 'direct'],
    requiredFlags: ['site', 'host-name'],
    async run({ client, args: [name = ''], flags, stdout }) {
      const { host } = await client.call('hosts.add', {
        name,
        hostName: flags['host-name'] ?? '',
        port: portFlag(flags.port, 'port'),
        login: flags.login,
        site: flags.site,
        route: flags.direct ? 'direct' : 'jump',
      });
      const route = host.route === 'jump' ? `through site ${host.site}` : 'direct';
      stdout(`Added host ${host.name} (${host.hostName}:${host.port}, ${route}).\n`);
    },
  },
  {
    words: ['hosts', 'rm'],
    args: ['name'],
    flags: [],
    async run({ client, args: [name = ''], stdout }) {
      await client.call('hosts.remove', { name });
      stdout(`Removed host ${name}.\n`);
    },
  },
];
