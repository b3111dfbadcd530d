import { chromium, type Browser, type Page } from 'playwright-core';
import { describeWithInfra, locateTool } from '@sitter/infra-harness';
import { apply, postJob, signUp } from './support/fixtures';
import { startTestSystem, type TestSystem } from './support/harness';

/**
 * GraphiQL in a real browser (Debian's chromium, driven by playwright-core) against the gateway of a running
 * embedded system. Every request that would leave the gateway's origin is refused, so the page must come whole
 * from the installed package, under the policy the gateway sends with it.
 */
describeWithInfra(['chromium'])('GraphiQL in a real browser', () => {
  let t: TestSystem;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestSystem();
    browser = await chromium.launch({ executablePath: locateTool('chromium'), args: ['--no-sandbox'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  /**
   * Opens GraphiQL, once rendered, with every request off the gateway's origin aborted and recorded, and CSP reports
   * collected.
   */
  const openGraphiQL = async (): Promise<{ page: Page; offOrigin: string[]; violations: string[] }> => {
    const page = await browser.newPage();
    const origin = new URL(t.system.url).origin;
    const offOrigin: string[] = [];
    const violations: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      offOrigin.push(url);
      return route.abort();
    });
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    await page.goto(t.system.url);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
    return { page, offOrigin, violations };
  };

  /** Puts text into one of GraphiQL's editors as a paste would (typing would trigger auto-closed brackets). */
  const replaceEditorText = async (page: Page, editor: string, text: string) => {
    await page.locator(editor).click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  };

  /** Sets the bearer token in GraphiQL's headers, runs `query`, and gives the locator of the answer. */
  const runSignedIn = async (page: Page, token: string, query: string) => {
    await page.getByRole('button', { name: 'Headers' }).click();
    await replaceEditorText(
      page,
      '.graphiql-editor-tool .graphiql-editor >> nth=-1',
      JSON.stringify({ authorization: `Bearer ${token}` }),
    );
    await replaceEditorText(page, '.graphiql-query-editor .graphiql-editor', query);
    await page.locator('.graphiql-execute-button').click();
    return page.locator('.graphiql-response');
  };

  it('when GraphiQL is opened, then it renders from the gateway alone and its policy blocks nothing it needs', async () => {
    const response = await fetch(t.system.url, { headers: { accept: 'text/html' } });

    const { page, offOrigin, violations } = await openGraphiQL();

    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
    expect(offOrigin).toEqual([]);
    expect(violations).toEqual([]);
    await page.close();
  }, 60_000);

  it('when the authorization header is set in GraphiQL and a query is run, then the answer is the signed-in view', async () => {
    const parent = await signUp(t, 'PARENT');
    const { page, violations } = await openGraphiQL();

    const result = await runSignedIn(
      page,
      parent.token,
      `{ getUser(username: "${parent.username}") { username email } }`,
    );
    await result.getByText(`${parent.username}@example.com`).waitFor({ timeout: 30_000 });

    // Monaco renders spaces as no-break spaces.
    const shown: unknown = JSON.parse((await result.innerText()).replace(/\u00a0/g, ' '));
    expect(shown).toEqual({
      data: { getUser: { username: parent.username, email: `${parent.username}@example.com` } },
    });
    expect(violations).toEqual([]);
    await page.close();
  }, 90_000);

  it("when a subscription is run in GraphiQL and a nanny then applies to the job, then the application shows in GraphiQL's answer", async () => {
    // Arrange
    const parent = await signUp(t, 'PARENT');
    const job = await postJob(t, parent.token);
    const { page, violations } = await openGraphiQL();
    const result = await runSignedIn(
      page,
      parent.token,
      `subscription { applicationUpdated(jobId: "${job.id}") { nanny status } }`,
    );

    // Act: apply until GraphiQL shows an application (the page does not say when the subscription is live)
    const nannies: string[] = [];
    const deadline = Date.now() + 30_000;
    let shown = '';
    while (!nannies.some((nanny) => shown.includes(nanny)) && Date.now() < deadline) {
      const nanny = await signUp(t, 'NANNY');
      await apply(t, nanny.token, job.id);
      nannies.push(nanny.username);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      shown = (await result.innerText()).replace(/\u00a0/g, ' ');
    }

    // Assert
    expect(nannies.some((nanny) => shown.includes(`"nanny": "${nanny}"`))).toBe(true);
    expect(shown).toContain('"status": "PENDING"');
    expect(violations).toEqual([]);
    await page.close();
  }, 90_000);
});
