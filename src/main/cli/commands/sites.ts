/** `onehop sites …`: list, add a preset or a Teleport proxy, remove; `onehop presets`. */
import { ContractError } from '../../../shared/contract';
import { siteAddress } from '../../../shared/model/settings';
import { portFlag, UsageError, type CommandSpec } from '../command';
import { count, json, presetsTable, siteRows, sitesTable } from '../output';

export const sitesCommands: CommandSpec[] = [
  {
    words: ['sites'],
    args: [],
    flags: ['json'],
    async run({ client, flags, stdout }) {
      const { settings } = await client.call('settings.get', {});
      const rows = siteRows(settings);
      stdout(flags.json ? json({ sites: rows }) : sitesTable(rows));
    },
  },
  {
    words: ['presets'],
    args: [],
    flags: ['json'],
    async run({ client, flags, stdout }) {
      const { presets } = await client.call('presets.list', {});
      stdout(flags.json ? json({ presets }) : presetsTable(presets));
    },
  },
  {
    words: ['sites', 'add-preset'],
    args: ['name'],
    flags: [],
    async run({ client, args: [presetId = ''], stdout }) {
      let added;
      try {
        added = await client.call('sites.addPreset', { presetId });
      } catch (error) {
        // cli.md: an unknown preset name is a usage error; the core's message lists the known ones.
        if (error instanceof ContractError && error.code === 'not-found') {
          throw new UsageError(error.message);
        }
        throw error;
      }
      stdout(
        `Added site ${added.site.name} (${siteAddress(added.site)}) with ` +
          `${count(added.hostsAdded, 'host')} and ${count(added.tunnelsAdded, 'tunnel profile')}.\n`,
      );
    },
  },
  {
    words: ['sites', 'add'],
    args: ['address'],
    flags: ['name', 'ssh-port'],
    async run({ client, args: [address = ''], flags, stdout }) {
      const { site } = await client.call('sites.addTeleport', {
        address,
        name: flags.name,
        sshPort: portFlag(flags['ssh-port'], 'ssh-port'),
      });
      stdout(`Added site ${site.name} (${siteAddress(site)}).\n`);
    },
  },
  {
    words: ['sites', 'add-sandbox'],
    args: [],
    flags: [],
    async run({ client, stdout }) {
      const added = await client.call('sites.addSandbox', {});
      stdout(
        `${added.replaced ? 'Replaced' : 'Added'} site ${added.site.name} (${siteAddress(added.site)}) ` +
          `with hosts ${added.hosts.join(', ')} and tunnel profiles ${added.tunnels.join(', ')}.\n` +
          (added.signedOut ? 'The certificate from the earlier sandbox was forgotten.\n' : '') +
          `Sign in with: onehop login ${added.site.name}\n`,
      );
    },
  },
  {
    words: ['sites', 'rm'],
    args: ['name'],
    flags: [],
    async run({ client, args: [name = ''], stdout }) {
      const removed = await client.call('sites.remove', { name });
      stdout(
        `Removed site ${name} with ${count(removed.hostsRemoved, 'host')} and ` +
          `${count(removed.tunnelsRemoved, 'tunnel profile')}.\n`,
      );
    },
  },
];
