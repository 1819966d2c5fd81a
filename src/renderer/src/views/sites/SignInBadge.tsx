import { Badge } from '../../components/Badge';

/**
 * Placeholder until sign-in exists: every site is honestly "Signed out". The sign-in issue
 * replaces this with the certificate state and its countdown.
 */
export function SignInBadge() {
  return (
    <Badge tone="neutral" dot title="Sign-in arrives with the sign-in feature">
      Signed out
    </Badge>
  );
}
