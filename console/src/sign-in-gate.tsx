import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { SignInSettings } from './settings-schema.ts';
import {
  currentToken,
  finishSignIn,
  hasExpiredToken,
  isSignInAnswer,
  onSignedOut,
  refusedMessage,
  type SignOutReason,
  signOut,
  startSignIn,
} from './sign-in.ts';

type Gate =
  | { step: 'finishing' }
  | { step: 'signed-in' }
  | { step: 'signed-out'; message?: string | undefined };

const messages = {
  refused: refusedMessage,
  'signed-out': 'You have signed out.',
  expired: 'Your sign-in has expired. Sign in again to continue.',
} as const satisfies Record<SignOutReason | 'expired', string>;

/** Shows the console only to a signed-in user; everything else gets the sign-in page. */
export function SignInGate(props: { settings: SignInSettings; children: ComponentChildren }) {
  const { settings } = props;
  const [gate, setGate] = useState<Gate>(() => initialGate());
  useEffect(
    () => onSignedOut((reason) => setGate({ step: 'signed-out', message: messages[reason] })),
    [],
  );
  useEffect(() => {
    if (gate.step !== 'finishing') return;
    finishSignIn(settings, new URL(window.location.href)).then(
      (returnTo) => {
        leaveAnswerAddress(returnTo);
        setGate({ step: 'signed-in' });
      },
      (error: Error) => {
        leaveAnswerAddress('');
        setGate({ step: 'signed-out', message: error.message });
      },
    );
  }, [gate.step, settings]);

  if (gate.step === 'signed-in') {
    return (
      <>
        <p class="session">
          <button type="button" class="link" onClick={() => signOut('signed-out')}>
            Sign out
          </button>
        </p>
        {props.children}
      </>
    );
  }
  if (gate.step === 'finishing') return <p class="status">Signing you in…</p>;
  return <SignInPage settings={settings} message={gate.message} />;
}

function SignInPage({ settings, message }: { settings: SignInSettings; message?: string }) {
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<string>();
  const signIn = () => {
    setLeaving(true);
    startSignIn(settings, window.location.hash).catch((failure: Error) => {
      setLeaving(false);
      setError(`Sign-in could not start (${failure.message}).`);
    });
  };
  return (
    <section class="sign-in">
      <h1>Sign in</h1>
      <p role={message ? 'alert' : undefined}>
        {message ?? 'Sign in with your organisation’s account to see and change configuration.'}
      </p>
      <button type="button" onClick={signIn} disabled={leaving}>
        {leaving ? 'Taking you to sign-in…' : 'Sign in'}
      </button>
      <p class="status">Signs in at {new URL(settings.authorizeUrl).host}.</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function initialGate(): Gate {
  if (isSignInAnswer(new URL(window.location.href))) return { step: 'finishing' };
  if (currentToken()) return { step: 'signed-in' };
  return { step: 'signed-out', message: hasExpiredToken() ? messages.expired : undefined };
}

/** Drops the code from the address bar (and history) and returns to the page sign-in began on. */
function leaveAnswerAddress(returnTo: string): void {
  window.history.replaceState(null, '', `${window.location.pathname}${returnTo}`);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
