import { Logo } from '../../components/Logo';
import { useClient, useStore } from '../../state/context';
import { messageOf } from '../../state/store';
import { SiteChooser } from './SiteChooser';

/** Shown once, before there is any site: a calm start with the four ways in. */
export function FirstRun() {
  const client = useClient();
  const store = useStore();
  const finish = async (message?: string) => {
    if (message) store.toast(message, 'success');
    try {
      await client.call('ui.update', { firstRunDone: true });
    } catch (error) {
      store.toast(messageOf(error), 'error');
    }
  };
  return (
    <main className="first-run">
      <div className="first-run-inner">
        <header className="first-run-header">
          <Logo size={40} />
          <h1 className="first-run-title">Welcome to OneHop</h1>
          <p className="first-run-lead">
            Sign in once a day, then reach your HPC hosts, terminals and tunnels through your
            centre's bastion. Start by adding a site — you can add more later.
          </p>
        </header>
        <SiteChooser onAdded={(message) => void finish(message)} />
        <footer className="first-run-footer">
          <button type="button" className="link-button" onClick={() => void finish()}>
            Skip for now
          </button>
          <span className="first-run-footer-note">
            You can add sites any time from the sidebar.
          </span>
        </footer>
      </div>
    </main>
  );
}
