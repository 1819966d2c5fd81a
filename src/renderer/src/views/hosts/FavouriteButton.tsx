import { Icon } from '../../components/Icon';
import { useClient, useStore } from '../../state/context';
import { messageOf } from '../../state/store';
import type { Host } from '../../../../shared/model/settings';

export function FavouriteButton({ host }: { host: Host }) {
  const client = useClient();
  const store = useStore();
  const toggle = async () => {
    try {
      await client.call('hosts.setFavourite', { name: host.name, favourite: !host.favourite });
    } catch (error) {
      store.toast(messageOf(error), 'error');
    }
  };
  return (
    <button
      type="button"
      className={host.favourite ? 'icon-btn star star-on' : 'icon-btn star'}
      aria-pressed={host.favourite}
      aria-label={`Favourite ${host.name}`}
      title={host.favourite ? 'Remove from favourites (F)' : 'Add to favourites (F)'}
      tabIndex={-1}
      onClick={() => void toggle()}
    >
      <Icon name="star" size={15} />
    </button>
  );
}
