import { createRoot } from 'react-dom/client';
import { connectApi } from './api/connect.ts';
import { App } from './app/App.tsx';

const root = document.getElementById('root')!;
try {
  createRoot(root).render(<App api={connectApi()} />);
} catch (error) {
  root.textContent = `NeoScope could not start: ${(error as Error).message}`;
}
