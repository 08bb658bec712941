import { type ConsoleSettings, consoleSettingsSchema, settingsPath } from './settings-schema.ts';

/**
 * The host's settings. Every host the console ships with serves them (the local stack and the
 * CDK stack), so a missing file is an error in words, not a guess that no sign-in is needed.
 */
export async function loadSettings(): Promise<ConsoleSettings> {
  let response: Response;
  try {
    response = await fetch(settingsPath, { cache: 'no-cache' });
  } catch (error) {
    throw new Error(`The console's settings could not be loaded (${(error as Error).message}).`);
  }
  if (!response.ok) {
    throw new Error(
      `The console's settings could not be loaded from ${settingsPath} (HTTP ${response.status}); ` +
        'serve the console with npm start or the CDK stack, which provide them.',
    );
  }
  const parsed = consoleSettingsSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`${settingsPath} is not valid: ${problems.join('; ')}.`);
  }
  return parsed.data;
}
