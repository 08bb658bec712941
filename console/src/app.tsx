import { EntryList } from './entry-list.tsx';
import { EntryPage } from './entry-page.tsx';
import { HealthBadge } from './health-badge.tsx';
import { NewEntry } from './new-entry.tsx';
import { useRoute } from './router.ts';
import type { ConsoleSettings } from './settings-schema.ts';
import { SignInGate } from './sign-in-gate.tsx';
import { TimeTravel } from './time-travel.tsx';

export function App({ settings }: { settings: ConsoleSettings }) {
  const route = useRoute();
  const page = (
    <>
      {route.page === 'list' && <EntryList />}
      {route.page === 'new' && <NewEntry />}
      {route.page === 'time' && <TimeTravel />}
      {route.page === 'entry' && <EntryPage key={route.name} name={route.name} />}
    </>
  );
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          config-ledger
        </a>
        <nav aria-label="Main">
          <a href="#/">Entries</a>
          <a href="#/new">New entry</a>
          <a href="#/time">Time travel</a>
        </nav>
        <HealthBadge />
      </header>
      <main>
        {settings.signIn ? <SignInGate settings={settings.signIn}>{page}</SignInGate> : page}
      </main>
    </>
  );
}
