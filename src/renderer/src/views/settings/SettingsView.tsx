import { AboutSettings } from './AboutSettings';
import { SignInSettings } from './SignInSettings';
import { SitesSettings } from './SitesSettings';
import { TerminalSettings } from './TerminalSettings';
import { ThemeSetting } from './ThemeSetting';

export function SettingsView() {
  return (
    <div className="view view-narrow">
      <header className="view-header">
        <div>
          <h1 className="view-title">Settings</h1>
          <p className="view-subtitle">Changes are saved as you make them.</p>
        </div>
      </header>
      <ThemeSetting />
      <SignInSettings />
      <TerminalSettings />
      <SitesSettings />
      <AboutSettings />
    </div>
  );
}
