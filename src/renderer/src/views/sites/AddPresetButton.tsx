import { useState } from 'react';
import { useAppState, useClient, useStore } from '../../state/context';
import { messageOf } from '../../state/store';

/** The one-click way to get started from an empty view: the centre's preset. */
export function AddPresetButton() {
  const { presets, settings } = useAppState();
  const client = useClient();
  const store = useStore();
  const [busy, setBusy] = useState(false);
  const preset = presets.find((p) => p.id === 'ecmwf') ?? presets[0];
  if (!preset || settings?.sites.some((s) => s.presetId === preset.id || s.name === preset.id))
    return null;
  const add = async () => {
    setBusy(true);
    try {
      const { hostsAdded, tunnelsAdded } = await client.call('sites.addPreset', {
        presetId: preset.id,
      });
      store.toast(
        `Added ${preset.title}: ${hostsAdded} hosts and ${tunnelsAdded} tunnel profiles.`,
        'success',
      );
    } catch (error) {
      store.toast(messageOf(error), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="btn btn-primary" onClick={() => void add()} disabled={busy}>
      {busy ? 'Adding…' : `Add the ${preset.title} preset`}
    </button>
  );
}
