import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectConsole } from './api/index.ts';
import { App } from './app.tsx';
import { AppContext, createAppStores } from './app-context.tsx';
import { pageFromHash } from './stores/ui-store.ts';
import './styles.css';

const stores = createAppStores(connectConsole(), window.localStorage, pageFromHash(window.location.hash) ?? 'overview');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppContext.Provider value={stores}>
      <App />
    </AppContext.Provider>
  </StrictMode>,
);
