import { createRoot } from 'react-dom/client';
import { ApiProvider } from './api/ApiProvider.tsx';
import { connectApi } from './api/connect.ts';
import { App } from './app/App.tsx';

const root = document.getElementById('root')!;
try {
  createRoot(root).render(
    <ApiProvider client={connectApi()}>
      <App />
    </ApiProvider>,
  );
} catch (error) {
  root.textContent = `NeoScope could not start: ${(error as Error).message}`;
}
