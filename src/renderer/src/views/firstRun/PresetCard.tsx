import type { PresetSummary } from '../../../../shared/contract/commands';
import { useClient, useSettings } from '../../state/context';
import { ChoiceCard } from './ChoiceCard';
import { FormError } from './FormError';
import { useCommandForm } from './useCommandForm';

/** The centre's preset: one button adds the site, its hosts and example tunnels. */
export function PresetCard({
  preset,
  onAdded,
}: {
  preset: PresetSummary;
  onAdded: (message: string) => void;
}) {
  const client = useClient();
  const settings = useSettings();
  const form = useCommandForm();
  const already = settings.sites.some(
    (site) => site.presetId === preset.id || site.name === preset.id,
  );

  const add = () =>
    form.submit(async () => {
      const { site, hostsAdded, tunnelsAdded } = await client.call('sites.addPreset', {
        presetId: preset.id,
      });
      onAdded(
        `Added ${site.title ?? site.name}: ${hostsAdded} ${hostsAdded === 1 ? 'host' : 'hosts'} and ${tunnelsAdded} tunnel ${tunnelsAdded === 1 ? 'profile' : 'profiles'}.`,
      );
    });

  return (
    <ChoiceCard
      id={`preset-${preset.id}`}
      icon="globe"
      title={`Add ${preset.title}`}
      action={
        <button
          type="button"
          className={already ? 'btn' : 'btn btn-primary'}
          onClick={add}
          disabled={form.busy || already}
        >
          {already ? 'Already added' : form.busy ? 'Adding…' : `Add ${preset.title}`}
        </button>
      }
    >
      <p>{preset.description}</p>
      <dl className="preset-facts">
        <dt>Proxy</dt>
        <dd>
          <code>{preset.proxy}</code>
        </dd>
        <dt>Hosts</dt>
        <dd>
          {preset.hosts.map((host) => (
            <code key={host}>{host}</code>
          ))}
        </dd>
        {preset.tunnels.length > 0 && (
          <>
            <dt>Tunnels</dt>
            <dd>{preset.tunnels.join(', ')}</dd>
          </>
        )}
      </dl>
      <FormError message={form.error} />
    </ChoiceCard>
  );
}
