import { useAppState } from '../../state/context';
import { SettingsSection } from './SettingsSection';

export function AboutSettings() {
  const { info } = useAppState();
  if (!info) return null;
  return (
    <SettingsSection
      id="about"
      title="Data and version"
      description="Where OneHop keeps its settings on this computer."
    >
      <dl className="about-facts">
        <dt>Data directory</dt>
        <dd>
          <code className="selectable">{info.dataDir}</code>
        </dd>
        <dt>Version</dt>
        <dd>
          {info.name} {info.version}
        </dd>
        <dt>Running as</dt>
        <dd>
          {info.host === 'web'
            ? 'Browser mode'
            : info.host === 'electron'
              ? 'Desktop app'
              : 'Command line'}{' '}
          on {info.platform}
        </dd>
        <dt>SSH encryption</dt>
        <dd>
          {info.sshNativeCrypto
            ? 'Native (fast)'
            : 'JavaScript fallback — about 5× slower; reinstall OneHop so its native module builds'}
        </dd>
      </dl>
    </SettingsSection>
  );
}
