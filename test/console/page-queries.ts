import type { ElementHandle, Page } from 'puppeteer-core';

/**
 * Finding and using what a person sees on a page, the same way in Chromium and Firefox: by
 * role and accessible name, by label, by the text shown.
 */
export type Scope = Page | ElementHandle;

const ariaSelector = (role: string, name?: string) =>
  name === undefined
    ? `::-p-aria([role=${JSON.stringify(role)}])`
    : `::-p-aria([name=${JSON.stringify(name)}][role=${JSON.stringify(role)}])`;

/** The element announced as `role` with exactly this accessible name, once it is there. */
export async function byRole(scope: Scope, role: string, name: string): Promise<ElementHandle> {
  const element = await scope.waitForSelector(ariaSelector(role, name));
  if (!element) throw new Error(`No ${role} named "${name}".`);
  return element;
}

/** How many elements are announced as `role` with exactly this name right now. */
export async function countByRole(scope: Scope, role: string, name?: string): Promise<number> {
  return (await scope.$$(ariaSelector(role, name))).length;
}

export async function click(scope: Scope, role: string, name: string): Promise<void> {
  await (await byRole(scope, role, name)).click();
}

/** Replaces the text of the text box with this label, typed key by key as a person would. */
export async function fill(page: Page, label: string, text: string): Promise<void> {
  const box = await byRole(page, 'textbox', label);
  await box.evaluate((element) => element.select());
  await box.type(text);
}

/** The form control a `<label>` with exactly this text names (date-time fields have no role). */
export async function byLabel(page: Page, label: string): Promise<ElementHandle> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    for (const candidate of await page.$$('label')) {
      if ((await candidate.evaluate((element) => element.textContent)) !== label) continue;
      const control = (await candidate.evaluateHandle((element) => element.control)).asElement();
      if (control) return control;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`No field labelled "${label}".`);
}

/**
 * Sets the field with this label to a value at once, as a browser's autofill would, and tells
 * the page through the input event it listens to. For date-time fields, whose segments each
 * browser types differently (Firefox's are typed by typeInstant).
 */
export async function setField(page: Page, label: string, value: string): Promise<void> {
  const field = await byLabel(page, label);
  await field.evaluate((element, text) => {
    element.value = text;
    element.dispatchEvent(new Event('input', { bubbles: true }));
    element.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

/** The value in the field with this label. */
export async function fieldValue(page: Page, label: string): Promise<string> {
  return (await byLabel(page, label)).evaluate((element) => element.value);
}

export async function textOf(scope: Scope, selector: string): Promise<string> {
  const element = await scope.waitForSelector(selector);
  return (await element?.evaluate((node) => node.textContent)) ?? '';
}

/** The text of every element the selector matches now, in page order. */
export async function textsOf(scope: Scope, selector: string): Promise<string[]> {
  return scope.$$eval(selector, (elements) => elements.map((element) => element.textContent ?? ''));
}

/** An attribute of the first element the selector matches, once there is one. */
export async function attributeOf(
  scope: Scope,
  selector: string,
  name: string,
): Promise<string | null> {
  const element = await scope.waitForSelector(selector);
  return (await element?.evaluate((node, attribute) => node.getAttribute(attribute), name)) ?? null;
}

const matches = (text: string, expected: string | RegExp) =>
  typeof expected === 'string' ? text.includes(expected) : expected.test(text);

/**
 * Waits until an element the selector matches shows this text, and answers its text; the
 * deadline only guards against a hang. A read that fails while the page re-renders is tried
 * again.
 */
export async function waitForText(
  scope: Scope,
  selector: string,
  expected: string | RegExp,
): Promise<string> {
  const deadline = Date.now() + 15_000;
  let texts: string[] = [];
  while (Date.now() < deadline) {
    texts = await textsOf(scope, selector).catch(() => texts);
    const found = texts.find((text) => matches(text, expected));
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${selector} never showed ${expected}; it shows ${JSON.stringify(texts)}.`);
}

/** How far the page reaches past the viewport's right edge: 0 when nothing overflows sideways. */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  ) as Promise<number>;
}

/**
 * The text of each element the selector matches, split where the browser wrapped it onto a
 * new line: ["payments.", "checkout.", "timeout_ms"] for a name wrapped twice.
 */
export async function wrappedLines(scope: Scope, selector: string): Promise<string[][]> {
  const placed: { character: string; top: number }[][] = await scope.$$eval(selector, (elements) =>
    elements.map((element) => {
      const range = element.ownerDocument.createRange();
      // 4: NodeFilter.SHOW_TEXT, every text node inside the element.
      const walker = element.ownerDocument.createTreeWalker(element, 4);
      const characters = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let offset = 0; offset < node.data.length; offset++) {
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          characters.push({ character: node.data[offset], top: range.getBoundingClientRect().top });
        }
      }
      return characters;
    }),
  );
  return placed.map((characters) => {
    const lines: string[] = [];
    let previousTop = Number.NEGATIVE_INFINITY;
    for (const { character, top } of characters) {
      if (top > previousTop + 4) lines.push('');
      lines[lines.length - 1] += character;
      previousTop = top;
    }
    return lines;
  });
}

/** Whether each element the selector matches shows all of its content, none of it cut off. */
export async function fullyShown(scope: Scope, selector: string): Promise<boolean[]> {
  return scope.$$eval(selector, (elements) =>
    elements.map((element) => {
      const box = element.getBoundingClientRect();
      const viewport = element.ownerDocument.documentElement.clientWidth;
      return element.scrollWidth <= element.clientWidth && box.left >= 0 && box.right <= viewport;
    }),
  );
}
