import { DraftField, type Save } from '../../components/DraftField';
import { useSettings } from '../../state/context';
import { SettingsSection } from './SettingsSection';
import { useUiUpdate } from './useUiUpdate';

const MAX_MINUTES = 24 * 60;

export function SignInSettings() {
  const { ui } = useSettings();
  const update = useUiUpdate();
  const saveMinutes: Save = (text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > MAX_MINUTES)
      return `Must be a whole number of minutes from 1 to ${MAX_MINUTES}.`;
    void update({ expiryWarningMinutes: value });
    return undefined;
  };
  return (
    <SettingsSection
      id="signin"
      title="Sign-in"
      description="How early OneHop tells you that a certificate runs out."
    >
      <div className="field-narrow">
        <DraftField
          key={`expiry-${ui.expiryWarningMinutes}`}
          label="Warn before expiry (minutes)"
          type="number"
          min={1}
          max={MAX_MINUTES}
          saved={String(ui.expiryWarningMinutes)}
          save={saveMinutes}
          hint="The countdown turns amber this long before the certificate expires."
        />
      </div>
    </SettingsSection>
  );
}
