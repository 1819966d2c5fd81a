import { useState } from 'react';
import { useAppState } from '../../state/context';
import { ChoiceCard } from './ChoiceCard';
import { OidcCaForm } from './OidcCaForm';
import { PresetCard } from './PresetCard';
import { SandboxCard } from './SandboxCard';
import { TeleportForm } from './TeleportForm';

type Mode = 'choose' | 'teleport' | 'oidc';

/** The four ways to start: the centre's preset, a Teleport proxy, an OIDC + SSH CA site, the sandbox. */
export function SiteChooser({ onAdded }: { onAdded: (message: string) => void }) {
  const { presets } = useAppState();
  const [mode, setMode] = useState<Mode>('choose');
  const back = () => {
    setMode('choose');
    // Return focus to the card the user came from.
    requestAnimationFrame(() => document.getElementById(`choose-${mode}`)?.focus());
  };

  if (mode === 'teleport') return <TeleportForm onAdded={onAdded} onBack={back} />;
  if (mode === 'oidc') return <OidcCaForm onAdded={onAdded} onBack={back} />;

  const preset = presets.find((p) => p.id === 'ecmwf') ?? presets[0];
  return (
    <div className="choice-grid">
      {preset && <PresetCard preset={preset} onAdded={onAdded} />}
      <ChoiceCard
        id="card-teleport"
        icon="shield"
        title="Teleport proxy by address"
        action={
          <button
            type="button"
            id="choose-teleport"
            className="btn"
            onClick={() => setMode('teleport')}
          >
            Enter address…
          </button>
        }
      >
        <p>
          Another centre or university runs Teleport? Give its proxy address, as you would to{' '}
          <code>tsh</code>.
        </p>
      </ChoiceCard>
      <ChoiceCard
        id="card-oidc"
        icon="key"
        title="OIDC + SSH CA site"
        action={
          <button type="button" id="choose-oidc" className="btn" onClick={() => setMode('oidc')}>
            Set up…
          </button>
        }
      >
        <p>
          Sign in with your institution's identity provider; an SSH certificate authority signs your
          key.
        </p>
      </ChoiceCard>
      <SandboxCard onAdded={onAdded} />
    </div>
  );
}
