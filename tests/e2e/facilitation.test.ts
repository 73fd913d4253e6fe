import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, screenshotPath, useBrowser } from '../support/browser.js';

const ui = useBrowser();

const join = (code: string, name: string, site: string) => ui.join(code, name, site);

async function addCard(page: Page, kind: 'problem' | 'resource', text: string) {
  await page
    .getByRole('button', { name: kind === 'problem' ? 'Probléma hozzáadása' : 'Erőforrás hozzáadása' })
    .click();
  await page.getByLabel(kind === 'problem' ? 'Új probléma' : 'Új erőforrás').fill(text);
  await page.getByRole('button', { name: 'Mentés', exact: true }).click();
}

const texts = (page: Page) => page.getByTestId('card-text').allInnerTexts();
const card = (page: Page, text: string): Locator => page.getByTestId('card').filter({ hasText: text });
const phaseOf = (page: Page) => page.getByTestId('phase-bar').getAttribute('data-phase');

async function shoot(pages: Record<string, Page>, phase: string) {
  for (const [who, page] of Object.entries(pages)) {
    await page.screenshot({
      path: screenshotPath(`facilitation-${phase}-${who}`),
      fullPage: who !== 'moderator',
    });
  }
}

describe('a facilitated workshop in Chromium: moderator on desktop, two residents on phones', () => {
  it('collects silently, groups by drag and by menu, votes hidden, reveals, sorts and locks', async () => {
    const moderator = await ui.open(DESKTOP, '/');
    await moderator.getByLabel('A műhely címe').fill('Közlekedés és összefogás');
    await moderator.getByRole('button', { name: 'Műhely létrehozása' }).click();
    const code = (await moderator.getByTestId('join-code').innerText()).replace(/\s/g, '');
    const anna = await join(code, 'Kovács Anna', 'Alsóváros');
    const bela = await join(code, 'Tóth Béla', 'Felsőtelep');

    // Collect, silently: each resident sees only their own cards until the moderator reveals.
    await moderator.getByLabel('Csendes gyűjtés').check();
    await addCard(anna, 'problem', 'Nincs buszjárat este');
    await addCard(bela, 'problem', 'Ritkán jár a busz');
    await addCard(anna, 'resource', 'Az egyháznak van egy kisbusza');
    await expect.poll(() => texts(moderator)).toHaveLength(3);
    expect(await texts(bela)).toEqual(['Ritkán jár a busz']);
    // Drafts: each phone is told who sees its cards; the moderator sees them all, marked, counted.
    await expect
      .poll(() => bela.getByTestId('silent-notice').innerText())
      .toContain('rajtad kívül csak a moderátor látja');
    expect(await moderator.getByTestId('draft-badge').count()).toBe(3);
    await expect
      .poll(() => moderator.getByTestId('silent-notice').innerText())
      .toContain('3 kártya vár felfedésre');
    await shoot({ moderator, anna, bela }, '1-collect-silent');
    // One press reveals every draft: no checkbox to untick.
    await moderator.getByTestId('silent-notice').getByRole('button', { name: 'Felfedés' }).click();
    await expect.poll(async () => (await texts(bela)).length).toBe(3);
    expect(await moderator.getByTestId('draft-badge').count()).toBe(0);

    // Group: the moderator drags Béla's card onto Anna's on the canvas and names the group...
    await moderator.getByRole('button', { name: '2. Csoportosítás' }).click();
    await expect.poll(() => phaseOf(anna)).toBe('group');
    const dragged = await card(moderator, 'Ritkán jár a busz')
      .locator('[data-testid=card-text]')
      .boundingBox();
    const target = await card(moderator, 'Nincs buszjárat este').boundingBox();
    if (!dragged || !target) throw new Error('cards not on screen');
    await moderator.mouse.move(dragged.x + 10, dragged.y + 5);
    await moderator.mouse.down();
    await moderator.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
    await moderator.mouse.up();
    await expect.poll(() => moderator.getByTestId('group').count()).toBe(1);
    // The title wraps on the canvas; its rename button opens the field.
    await moderator.getByRole('button', { name: 'Átnevezés: Névtelen csoport 1' }).click();
    const title = moderator.getByLabel('A csoport neve');
    await title.fill('Közlekedés');
    await title.press('Enter');
    await expect.poll(() => moderator.getByTestId('group-title').innerText()).toBe('Közlekedés');
    // ...and Anna, on her phone, puts her resource into it from the card's menu.
    await expect
      .poll(() => card(anna, 'kisbusza').getByRole('option', { name: 'Közlekedés' }).count())
      .toBe(1);
    await card(anna, 'kisbusza').getByLabel('Csoport').selectOption({ label: 'Közlekedés' });
    await expect.poll(() => moderator.getByTestId('group').getByTestId('card').count()).toBe(3);
    await expect
      .poll(() => bela.getByTestId('group').getByTestId('card-text').allInnerTexts())
      .toHaveLength(3);
    await shoot({ moderator, anna }, '2-group');

    // Vote: two votes each, hidden until revealed.
    await moderator.getByRole('button', { name: 'Eggyel kevesebb szavazat' }).click();
    await moderator.getByRole('button', { name: 'Eggyel kevesebb szavazat' }).click();
    await moderator.getByRole('button', { name: 'Eggyel kevesebb szavazat' }).click();
    await expect.poll(() => moderator.getByTestId('vote-budget').innerText()).toBe('2');
    await moderator.getByLabel('Rejtett szavazás').check();
    await moderator.getByRole('button', { name: '3. Szavazás' }).click();
    await expect.poll(() => anna.getByTestId('votes-left').innerText()).toBe('Még 2 szavazatod van');
    // New cards are closed while voting.
    expect(await anna.getByRole('button', { name: 'Probléma hozzáadása' }).count()).toBe(0);

    const annaVote = card(anna, 'Nincs buszjárat este').getByRole('button', { name: 'Szavazok erre' });
    await annaVote.click();
    await expect.poll(() => anna.getByTestId('votes-left').innerText()).toBe('Még 1 szavazatod van');
    await annaVote.click();
    await expect
      .poll(() => anna.getByTestId('votes-left').innerText())
      .toBe('Elfogytak a szavazataid (2 / 2)');
    expect(await annaVote.isDisabled()).toBe(true);
    await card(bela, 'Nincs buszjárat este').getByRole('button', { name: 'Szavazok erre' }).click();
    await card(bela, 'kisbusza').getByRole('button', { name: 'Szavazok erre' }).click();
    await expect
      .poll(() => bela.getByTestId('votes-left').innerText())
      .toBe('Elfogytak a szavazataid (2 / 2)');
    // Hidden: residents see only their own votes; nobody sees a total, the moderator neither: only
    // how many have voted.
    expect(await anna.getByTestId('vote-total').count()).toBe(0);
    expect(await card(anna, 'Nincs buszjárat este').getByTestId('my-votes').innerText()).toBe(
      'Szavazatod erre: 2',
    );
    await expect.poll(() => moderator.getByTestId('vote-progress').innerText()).toBe('2 / 2 szavazott');
    expect(await moderator.getByTestId('vote-total').count()).toBe(0);
    await shoot({ moderator, anna }, '3-vote-hidden');

    // Reveal: everyone sees the tallies and can sort by them.
    await moderator.getByTestId('vote-progress-notice').getByRole('button', { name: 'Felfedés' }).click();
    await expect
      .poll(() => card(bela, 'Nincs buszjárat este').getByTestId('vote-total').getAttribute('title'))
      .toBe('3 szavazat');
    await bela.getByLabel('Legtöbb szavazat elöl').check();
    expect(await bela.getByTestId('group').getByTestId('card-text').allInnerTexts()).toEqual([
      'Nincs buszjárat este',
      'Az egyháznak van egy kisbusza',
      'Ritkán jár a busz',
    ]);
    await shoot({ bela }, '4-revealed-sorted');

    // Discuss, with a timer, on a locked board.
    await moderator.getByRole('button', { name: '4. Megbeszélés' }).click();
    await moderator.getByRole('button', { name: '5 perc', exact: true }).click();
    await moderator.getByLabel('Tábla zárolása').check();
    await expect.poll(() => anna.getByTestId('locked').count()).toBe(1);
    await expect.poll(() => anna.getByTestId('timer').innerText()).toMatch(/^Hátralévő idő: [45]:\d\d$/);
    expect(await anna.getByRole('button', { name: 'Szerkesztés' }).count()).toBe(0);
    expect(await anna.getByRole('button', { name: 'Szavazok erre' }).count()).toBe(0);
    await shoot({ moderator, anna }, '5-discuss-locked');

    // The record: every phase change left a snapshot; the moderator saves one more and downloads it.
    await expect.poll(() => moderator.getByTestId('snapshot').count()).toBe(3);
    await moderator.getByRole('tab', { name: 'Pillanatképek' }).click();
    await moderator.getByLabel('A pillanatkép neve').fill('Záró állapot');
    await moderator.getByRole('button', { name: 'Mentés most' }).click();
    await expect.poll(() => moderator.getByTestId('snapshot').first().innerText()).toContain('Záró állapot');
    expect(await moderator.getByTestId('snapshot').first().innerText()).toContain('3 kártya · 4 szavazat');
    const [download] = await Promise.all([
      moderator.waitForEvent('download'),
      moderator.getByTestId('snapshot').first().getByRole('button', { name: 'CSV' }).click(),
    ]);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    expect(csv).toContain('Probléma;Nincs buszjárat este;Közlekedés;3;Alsóváros;Kovács Anna;');

    // Since the snapshot at the start of voting, votes were added.
    const atVote = moderator.getByTestId('snapshot').filter({ hasText: 'Csoportosítás → Szavazás' });
    await atVote.getByRole('button', { name: 'Mi változott azóta?' }).click();
    await expect
      .poll(() => atVote.getByTestId('snapshot-changes').innerText())
      .toContain('Szavazatok: Nincs buszjárat este (0 → 3)');

    // The picture of the board: shown in the app, downloadable as PNG.
    await moderator.getByTestId('snapshots').getByRole('button', { name: 'Megnézem' }).first().click();
    const picture = moderator.getByTestId('snapshot-picture');
    await expect
      .poll(() => picture.evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(800);
    await picture.screenshot({ path: screenshotPath('facilitation-board-picture') });
    await moderator.getByRole('button', { name: 'Bezárás' }).click();
    const [png] = await Promise.all([
      moderator.waitForEvent('download'),
      moderator.getByTestId('snapshots').getByRole('button', { name: 'PNG' }).first().click(),
    ]);
    const pngBytes = await readFile((await png.path()) ?? '');
    expect(pngBytes.subarray(1, 4).toString()).toBe('PNG');

    // The workshop report, printed to PDF by the browser, names the most-voted cards.
    const report = await moderator.context().newPage();
    await report.goto(
      `${ui.server.url}${new URL((await moderator.getByTestId('report-link').getAttribute('href')) ?? '', ui.server.url).pathname}`,
    );
    await report.getByTestId('report').locator('img').first().waitFor();
    const pdfPath = screenshotPath('facilitation-report').replace(/\.png$/, '.pdf');
    await report.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    const pdfText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(pdfText).toMatch(/A legtöbb szavazatot kapott\s+problémák/);
    expect(pdfText).toContain('Nincs buszjárat este');
    expect(pdfText).toMatch(/Alsóváros\s+1/);

    // The whole workshop as one file, loaded again as a new workshop from the home page.
    const [archiveDownload] = await Promise.all([
      moderator.waitForEvent('download'),
      moderator.getByRole('button', { name: 'Az egész műhely letöltése (archív fájl)' }).click(),
    ]);
    const elsewhere = await ui.open(DESKTOP, '/');
    await elsewhere.getByText('Műhely betöltése archív fájlból').click();
    await elsewhere
      .getByLabel('Műhely betöltése archív fájlból')
      .setInputFiles((await archiveDownload.path()) ?? '');
    // The first archive a server reads starts its reader (a worker thread): allow it a few seconds.
    await expect
      .poll(() => texts(elsewhere).then((all) => [...all].sort()), { timeout: 5000 })
      .toEqual(['Az egyháznak van egy kisbusza', 'Nincs buszjárat este', 'Ritkán jár a busz']);

    // The projector link opens the same board read-only, votes revealed, nothing to click.
    const projectorUrl = await moderator.getByTestId('projector-link').getAttribute('href');
    if (!projectorUrl) throw new Error('no projector link');
    const projector = await ui.open(DESKTOP, new URL(projectorUrl).pathname + new URL(projectorUrl).hash);
    // With the votes out, the projector opens on the results; the board is one press away.
    await expect.poll(() => projector.getByTestId('result-row').count()).toBeGreaterThan(0);
    await projector.getByRole('button', { name: 'Tábla', exact: true }).click();
    await expect.poll(() => texts(projector)).toHaveLength(3);
    await expect
      .poll(() => card(projector, 'Nincs buszjárat este').getByTestId('vote-total').getAttribute('title'))
      .toBe('3 szavazat');
    expect(await projector.getByRole('button', { name: 'Probléma hozzáadása' }).count()).toBe(0);
    expect(await projector.getByRole('button', { name: 'Szerkesztés' }).count()).toBe(0);
    expect(await projector.getByTestId('moderator-panel').count()).toBe(0);
    await shoot({ projector }, '6-projector');
  });
});
