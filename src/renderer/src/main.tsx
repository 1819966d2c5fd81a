// First: configures zod before the shared contract builds its schemas.
import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api';
import { App } from './App';
import { StoreProvider } from './state/context';
import { SignInProvider } from './state/signInContext';
import { SignInStore } from './state/signInStore';
import { AppStore } from './state/store';
import './styles/tokens.css';
import './styles/base.css';
import './styles/shell.css';
import './styles/controls.css';
import './styles/views.css';
import './styles/firstRun.css';
import './styles/signin.css';

const api = connect();
const store = new AppStore(api.client, api.connection);
store.start();
const signIn = new SignInStore(api.client, api.connection);
signIn.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <StoreProvider store={store}>
      <SignInProvider store={signIn}>
        <App />
      </SignInProvider>
    </StoreProvider>
  </StrictMode>,
);
