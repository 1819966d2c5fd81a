import { useStore } from '../../state/context';
import { useTabs } from '../../state/TabsContext';
import { SiteChooser } from '../firstRun/SiteChooser';

/** The first-run chooser again, as a tab, for adding more sites later. */
export function AddSiteView() {
  const store = useStore();
  const { dispatch } = useTabs();
  return (
    <div className="view view-narrow">
      <header className="view-header">
        <div>
          <h1 className="view-title">Add a site</h1>
          <p className="view-subtitle">
            A site is a bastion that issues your SSH certificate, and the hosts behind it.
          </p>
        </div>
      </header>
      <SiteChooser
        onAdded={(message) => {
          store.toast(message, 'success');
          dispatch({ type: 'close', id: 'add-site' });
          dispatch({ type: 'open', kind: 'hosts' });
        }}
      />
    </div>
  );
}
