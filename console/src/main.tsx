import { render } from 'preact';
import { App } from './app.tsx';
import { loadSettings } from './settings.ts';

const root = document.getElementById('app');
if (root) {
  loadSettings().then(
    (settings) => render(<App settings={settings} />, root),
    (error: Error) =>
      render(
        <p class="error" role="alert">
          {error.message}
        </p>,
        root,
      ),
  );
}
