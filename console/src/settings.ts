import { type ConsoleSettings, consoleSettingsSchema, settingsPath } from './settings-schema.ts';

/** The deployment's settings; none (404) means the API needs no sign-in, as locally. */
export async function loadSettings(): Promise<ConsoleSettings> {
  let response: Response;
  try {
    response = await fetch(settingsPath, { cache: 'no-cache' });
  } catch (error) {
    throw new Error(`The console's settings could not be loaded (${(error as Error).message}).`);
  }
  if (response.status === 404) return {};
  if (!response.ok) {
    throw new Error(`The console's settings could not be loaded (HTTP ${response.status}).`);
  }
  const parsed = consoleSettingsSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`${settingsPath} is not valid: ${problems.join('; ')}.`);
  }
  return parsed.data;
}
