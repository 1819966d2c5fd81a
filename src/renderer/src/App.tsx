import { Banners } from './components/Banners';
import { Logo } from './components/Logo';
import { Toasts } from './components/Toasts';
import { Shell } from './Shell';
import { useAppState } from './state/context';
import { useTheme } from './state/useTheme';
import { FirstRun } from './views/firstRun/FirstRun';

export function App() {
  const { phase, loadError, settings } = useAppState();
  useTheme(settings?.ui.theme);

  if (phase === 'loading' || !settings) {
    return (
      <div className="splash" aria-busy={phase === 'loading'}>
        <Logo size={36} />
        {phase === 'failed' ? (
          <div className="splash-error" role="alert">
            <h1>OneHop could not start</h1>
            <p>{loadError}</p>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => window.location.reload()}
            >
              Try again
            </button>
          </div>
        ) : (
          <p className="splash-text">Connecting to OneHop…</p>
        )}
        <Banners />
      </div>
    );
  }

  const firstRun = !settings.ui.firstRunDone && settings.sites.length === 0;
  return (
    <>
      {firstRun ? (
        <div className="first-run-shell">
          <Banners />
          <FirstRun />
        </div>
      ) : (
        <Shell />
      )}
      <Toasts />
    </>
  );
}
