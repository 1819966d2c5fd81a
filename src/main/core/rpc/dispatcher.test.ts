import { describe, expect, it, vi } from 'vitest';
import { ContractError } from '../../../shared/contract';
import { createDispatcher, type CommandHandlers } from './dispatcher';

/** Only the handlers a test needs; the others must never be reached. */
function dispatcherWith(handlers: Partial<CommandHandlers>, onInternalError = vi.fn()) {
  const dispatcher = createDispatcher(handlers as CommandHandlers, { onInternalError });
  return { dispatcher, onInternalError };
}

const plainHost = { name: 'h1', hostName: 'node1' };

describe('dispatcher', () => {
  it('answers an unknown command with a typed error naming it', async () => {
    const { dispatcher } = dispatcherWith({});
    await expect(dispatcher.dispatch('sites.explode', {})).resolves.toEqual({
      ok: false,
      error: { code: 'unknown-command', message: 'Unknown command "sites.explode".' },
    });
    // Inherited object keys are not commands.
    const proto = await dispatcher.dispatch('__proto__', {});
    expect(proto).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    const notAString = await dispatcher.dispatch(42, {});
    expect(notAString).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    expect(notAString.ok === false && notAString.error.message).toContain('number');
  });

  it('refuses payloads of the wrong types with per-field messages, before the handler runs', async () => {
    const handler = vi.fn(() => ({ host: plainHost }));
    const { dispatcher } = dispatcherWith({ 'hosts.add': handler });

    const wrongTypes = await dispatcher.dispatch('hosts.add', {
      name: 5,
      hostName: 'node1',
      port: '22',
    });
    expect(wrongTypes.ok).toBe(false);
    if (wrongTypes.ok) return;
    expect(wrongTypes.error.code).toBe('invalid-request');
    expect(wrongTypes.error.message).toMatch(/^Invalid request for hosts\.add: "name" /);
    expect(Object.keys(wrongTypes.error.fields ?? {}).sort()).toEqual(['name', 'port']);

    const extraKey = await dispatcher.dispatch('hosts.add', { ...plainHost, shell: 'rm -rf /' });
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'invalid-request' } });

    const notAnObject = await dispatcher.dispatch('hosts.add', 'h1');
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'invalid-request' } });

    expect(handler).not.toHaveBeenCalled();
  });

  it('passes the validated request (defaults applied) to the handler; no payload means {}', async () => {
    const uiUpdate = vi.fn((patch: object) => ({ ui: { theme: 'dark' as const, ...patch } }));
    const appInfo = vi.fn(() => ({
      name: 'OneHop',
      version: '1.2.3',
      host: 'cli' as const,
      platform: 'linux-x64',
      dataDir: '/tmp/x',
      sshNativeCrypto: true,
    }));
    const { dispatcher } = dispatcherWith({ 'ui.update': uiUpdate, 'app.info': appInfo });
    await expect(dispatcher.dispatch('app.info', undefined)).resolves.toMatchObject({ ok: true });
    expect(appInfo).toHaveBeenCalledWith({});
    await dispatcher.dispatch('ui.update', { theme: 'dark' });
    expect(uiUpdate).toHaveBeenCalledWith({ theme: 'dark' });
  });

  it('returns a ContractError thrown by a handler as it is, fields included', async () => {
    const { dispatcher, onInternalError } = dispatcherWith({
      'hosts.remove': () => {
        throw new ContractError({
          code: 'conflict',
          message: 'Host "h1" is in use by a tunnel.',
          fields: { name: 'in use' },
        });
      },
    });
    await expect(dispatcher.dispatch('hosts.remove', { name: 'h1' })).resolves.toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: 'Host "h1" is in use by a tunnel.',
        fields: { name: 'in use' },
      },
    });
    expect(onInternalError).not.toHaveBeenCalled();
  });

  it('turns a handler bug (sync throw or rejection) into `internal` and keeps serving', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'name')");
    const { dispatcher, onInternalError } = dispatcherWith({
      'hosts.remove': () => {
        throw bug;
      },
      'hosts.setFavourite': async () => Promise.reject(new Error('disk on fire')),
      'notices.dismiss': () => ({ dismissed: true }),
    });

    const thrown = await dispatcher.dispatch('hosts.remove', { name: 'h1' });
    expect(thrown).toEqual({
      ok: false,
      error: { code: 'internal', message: `hosts.remove failed unexpectedly: ${bug.message}` },
    });
    expect(onInternalError).toHaveBeenCalledWith('hosts.remove', bug);

    const rejected = await dispatcher.dispatch('hosts.setFavourite', {
      name: 'h1',
      favourite: true,
    });
    expect(rejected).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(onInternalError).toHaveBeenCalledTimes(2);

    // The dispatcher is still usable after the failures.
    await expect(dispatcher.dispatch('notices.dismiss', { id: 'x' })).resolves.toEqual({
      ok: true,
      result: { dismissed: true },
    });
  });

  it('validates responses: a wrong shape is an internal error, a right one is normalised', async () => {
    const { dispatcher, onInternalError } = dispatcherWith({
      'notices.dismiss': () => ({ dismissed: 'yes' }) as never,
      'hosts.add': () => ({ host: { ...plainHost, password: 'hunter2' } }) as never,
    });

    const wrong = await dispatcher.dispatch('notices.dismiss', { id: 'x' });
    expect(wrong).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: 'OneHop produced an invalid response for notices.dismiss; this is a bug.',
      },
    });
    expect(onInternalError).toHaveBeenCalledTimes(1);

    // Defaults are filled in and keys outside the contract never leave the core.
    const right = await dispatcher.dispatch('hosts.add', plainHost);
    expect(right).toEqual({
      ok: true,
      result: {
        host: { name: 'h1', hostName: 'node1', port: 22, route: 'jump', favourite: false },
      },
    });
  });
});
