import { useAppState, useStore } from '../state/context';
import { ConnectionBanner } from './ConnectionBanner';
import { NoticeBanner } from './NoticeBanner';

export function Banners() {
  const { notices, connection } = useAppState();
  const store = useStore();
  if (
    notices.length === 0 &&
    (connection.status === 'connected' || connection.status === 'connecting')
  )
    return null;
  return (
    <div className="banners">
      <ConnectionBanner connection={connection} />
      {notices.map((notice) => (
        <NoticeBanner
          key={notice.id}
          notice={notice}
          onDismiss={() => void store.dismissNotice(notice.id)}
        />
      ))}
    </div>
  );
}
