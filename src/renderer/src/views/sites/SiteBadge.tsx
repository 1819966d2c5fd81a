import { useSiteStatus } from '../../state/signInContext';
import { CertificateBadge } from './CertificateBadge';

/** A site's certificate badge by site name (for places that only know the name). */
export function SiteBadge({ site }: { site: string }) {
  return <CertificateBadge status={useSiteStatus(site)} />;
}
