import { Icon } from '../../components/Icon';
import type { VaultInfo } from '../../state/signInStore';

/** Where the credentials are kept: a quiet line for the keychain, a clear warning otherwise. */
export function VaultNotice({ vault }: { vault: VaultInfo | null }) {
  if (!vault) return null;
  if (vault.mode === 'keychain') {
    return (
      <p className="vault-note">
        <Icon name="shield" size={14} />
        Credentials are encrypted with a key in your system keychain.
      </p>
    );
  }
  if (vault.mode === 'session-only') {
    return (
      <div className="banner banner-warning vault-banner" role="alert">
        <Icon name="warning" className="banner-icon" />
        <div className="banner-body">
          <strong className="banner-title">Credentials are kept for this session only</strong>
          <span className="banner-message">
            {vault.warning ??
              'No system keychain is available, so your certificates are kept in memory and are gone when OneHop quits.'}
          </span>
        </div>
      </div>
    );
  }
  return vault.warning ? (
    <div className="banner banner-warning vault-banner" role="alert">
      <Icon name="warning" className="banner-icon" />
      <div className="banner-body">
        <strong className="banner-title">The credentials vault is not open</strong>
        <span className="banner-message">{vault.warning}</span>
      </div>
    </div>
  ) : (
    <p className="vault-note">
      <Icon name="shield" size={14} />
      Credentials will be encrypted with a key in your system keychain when you first sign in.
    </p>
  );
}
