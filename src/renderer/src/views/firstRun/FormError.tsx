import { Icon } from '../../components/Icon';

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="form-error" role="alert">
      <Icon name="warning" />
      <span>{message}</span>
    </div>
  );
}
