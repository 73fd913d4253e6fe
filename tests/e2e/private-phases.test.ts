/**
 * Private until revealed, in Chromium: a moderator on a laptop, two residents on phones and the
 * projector, through silent collect, the reveal, a hidden vote, the reveal of the votes and an
 * anonymous board. Each device shows only what its person may know, and keeps it over a reload.
 */
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DESKTOP, PHONE, screenshotPath, useBrowser } from '../support/browser.js';

const ui = useBrowser();

const LAPTOP = { viewport: { width: 1440, height: 900 }, locale: 'hu-HU' } as const;
const SMALL_PHONE = { ...PHONE, viewport: { width: 360, height: 740 } } as const;
/** A 390 px phone at 200 % zoom. */
const ZOOMED = { width: 195, height: 422 } as const;

const linkOf = (page: Page) => page.getByTestId('connection-state').getAttribute('data-link');
const texts = (page: Page) => page.getByTestId('card-text').allInnerTexts();
const sorted = async (page: Page) => [...(await texts(page))].sort();
const card = (page: Page, text: string): Locator =>
  page.getByTestId('card').filter({ has: page.getByTestId('card-text').getByText(text, { exact: true }) });
const totals = (page: Page) => page.getByTestId('vote-total').count();
const cardTexts = (page: Page) => page.getByTestId('card').allInnerTexts();

const join = (code: string, name: string, site: string, device: BrowserContextOptions) =>
  ui.join(code, name, site, device);

async function addCard(page: Page, kind: 'problem' | 'resource', text: string) {
  await page
    .getByRole('button', { name: kind === 'problem' ? 'Probléma hozzáadása' : 'Erőforrás hozzáadása' })
    .first()
    .click();
  await page.getByLabel(kind === 'problem' ? 'Új probléma' : 'Új erőforrás').fill(text);
  await page.getByRole('button', { name: 'Mentés', exact: true }).click();
}

/** Each page as it is; phones whole (and the first one again at 200 % zoom). */
async function shoot(step: string, pages: { moderator: Page; projector: Page; anna: Page; bela: Page }) {
  await pages.moderator.screenshot({ path: screenshotPath(`private-${step}-moderator-1440x900`) });
  await pages.projector.screenshot({ path: screenshotPath(`private-${step}-projector-1920x1080`) });
  await pages.anna.screenshot({ path: screenshotPath(`private-${step}-phone-390`), fullPage: true });
  await pages.bela.screenshot({ path: screenshotPath(`private-${step}-phone-360`), fullPage: true });
  await pages.anna.setViewportSize(ZOOMED);
  await pages.anna.screenshot({ path: screenshotPath(`private-${step}-phone-195`), fullPage: true });
  // Nothing pushed sideways at 200 % zoom.
  expect(await pages.anna.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    ZOOMED.width,
  );
  await pages.anna.setViewportSize(PHONE.viewport);
}

describe('private until revealed, in Chromium: moderator, two phones and the projector', () => {
  it('silent collect, reveal, hidden vote, reveal of the votes, and an anonymous board', async () => {
    const moderator = await ui.open(LAPTOP, '/');
    await moderator.getByLabel('A műhely címe').fill('Titkos szavazás');
    await moderator.getByRole('button', { name: 'Műhely létrehozása' }).click();
    const code = (await moderator.getByTestId('join-code').innerText()).replace(/\s/g, '');
    const projectorUrl = new URL((await moderator.getByTestId('projector-link').getAttribute('href')) ?? '');
    const projector = await ui.open(DESKTOP, projectorUrl.pathname + projectorUrl.hash);
    const anna = await join(code, 'Kovács Anna', 'Alsóváros', PHONE);
    const bela = await join(code, 'Tóth Béla', 'Felsőtelep', SMALL_PHONE);
    const pages = { moderator, projector, anna, bela };

    // Silent collect: each phone sees only its own drafts, the moderator all, the projector none.
    await moderator.getByLabel('Csendes gyűjtés').check();
    await expect
      .poll(() => anna.getByTestId('silent-notice').innerText())
      .toContain('rajtad kívül csak a moderátor');
    await addCard(anna, 'problem', 'Nincs buszjárat este');
    await addCard(anna, 'resource', 'Az egyháznak van kisbusza');
    await addCard(bela, 'problem', 'Ritkán jár a busz');
    // A draft written offline is kept on the phone, and sent (once) when the signal is back.
    await bela.context().setOffline(true);
    await expect.poll(() => linkOf(bela)).toBe('offline');
    await addCard(bela, 'resource', 'Van egy üres bolthelyiség');
    await expect.poll(() => bela.getByTestId('outbox-waiting').innerText()).toBe('1 változás vár küldésre');
    await bela.context().setOffline(false);
    await expect.poll(() => linkOf(bela), { timeout: 15_000 }).toBe('connected');
    await expect.poll(() => bela.getByTestId('outbox-waiting').count()).toBe(0);
    await expect
      .poll(() => sorted(moderator))
      .toEqual([
        'Az egyháznak van kisbusza',
        'Nincs buszjárat este',
        'Ritkán jár a busz',
        'Van egy üres bolthelyiség',
      ]);
    await expect.poll(() => sorted(anna)).toEqual(['Az egyháznak van kisbusza', 'Nincs buszjárat este']);
    expect(await sorted(bela)).toEqual(['Ritkán jár a busz', 'Van egy üres bolthelyiség']);
    expect(await anna.getByTestId('draft-badge').count()).toBe(2);
    expect(await moderator.getByTestId('draft-badge').count()).toBe(4);
    await expect
      .poll(() => moderator.getByTestId('silent-notice').innerText())
      .toContain('4 kártya vár felfedésre');
    // A draft its author deletes is gone for the moderator too.
    await addCard(anna, 'problem', 'Mégsem ezt akartam');
    await expect.poll(() => card(moderator, 'Mégsem ezt akartam').count()).toBe(1);
    await card(anna, 'Mégsem ezt akartam').getByRole('button', { name: 'Törlés' }).click();
    await card(anna, 'Mégsem ezt akartam').getByRole('button', { name: 'Biztosan törlöd?' }).click();
    await expect.poll(() => card(moderator, 'Mégsem ezt akartam').count()).toBe(0);
    expect(await card(anna, 'Mégsem ezt akartam').count()).toBe(0);
    // The author edits a draft; it stays theirs alone, once.
    const draft = card(anna, 'Nincs buszjárat este');
    await draft.getByRole('button', { name: 'Szerkesztés' }).click();
    await anna.getByLabel('A kártya szövege').fill('Nincs buszjárat este 8 után');
    await anna.getByRole('button', { name: 'Mentés', exact: true }).click();
    await expect.poll(() => card(moderator, 'Nincs buszjárat este 8 után').count()).toBe(1);
    await expect.poll(() => texts(anna)).toHaveLength(2);
    expect(await sorted(bela)).toEqual(['Ritkán jár a busz', 'Van egy üres bolthelyiség']);
    expect(await projector.getByTestId('card').count()).toBe(0);
    await expect.poll(() => projector.getByTestId('silent-notice').innerText()).toContain('felfedéskor');
    // Settled: nothing left waiting in the phones' outboxes, nothing drawn twice.
    await expect.poll(() => anna.getByTestId('outbox-waiting').count()).toBe(0);
    await anna.waitForTimeout(300);
    expect(await texts(anna)).toHaveLength(2);
    await shoot('1-silent-collect', pages);

    // Reveal: every card appears once, on every device.
    await moderator.getByRole('button', { name: 'Felfedés', exact: true }).click();
    const all = [
      'Az egyháznak van kisbusza',
      'Nincs buszjárat este 8 után',
      'Ritkán jár a busz',
      'Van egy üres bolthelyiség',
    ];
    for (const page of [moderator, projector, anna, bela]) await expect.poll(() => sorted(page)).toEqual(all);
    await anna.waitForTimeout(500);
    for (const page of [moderator, projector, anna, bela]) {
      expect(await sorted(page)).toEqual(all);
      expect(await page.getByTestId('draft-badge').count()).toBe(0);
    }

    // Hidden vote: two votes each; no total anywhere, the moderator sees only how many voted.
    for (let i = 0; i < 3; i++)
      await moderator.getByRole('button', { name: 'Eggyel kevesebb szavazat' }).click();
    await expect.poll(() => moderator.getByTestId('vote-budget').innerText()).toBe('2');
    await moderator.getByLabel('Rejtett szavazás').check();
    await moderator.getByRole('button', { name: '3. Szavazás' }).click();
    await expect.poll(() => anna.getByTestId('votes-left').innerText()).toBe('Még 2 szavazatod van');
    await expect.poll(() => moderator.getByTestId('vote-progress').innerText()).toBe('0 / 2 szavazott');
    const annaVote = card(anna, 'Nincs buszjárat este 8 után').getByRole('button', { name: 'Szavazok erre' });
    await annaVote.click();
    await expect.poll(() => anna.getByTestId('votes-left').innerText()).toBe('Még 1 szavazatod van');
    await annaVote.click();
    await expect
      .poll(() => anna.getByTestId('votes-left').innerText())
      .toBe('Elfogytak a szavazataid (2 / 2)');
    await expect.poll(() => moderator.getByTestId('vote-progress').innerText()).toBe('1 / 2 szavazott');
    await card(bela, 'Nincs buszjárat este 8 után').getByRole('button', { name: 'Szavazok erre' }).click();
    await expect.poll(() => bela.getByTestId('votes-left').innerText()).toBe('Még 1 szavazatod van');
    await expect.poll(() => moderator.getByTestId('vote-progress').innerText()).toBe('2 / 2 szavazott');
    for (const page of [moderator, projector, anna, bela]) expect(await totals(page)).toBe(0);
    expect(await card(anna, 'Nincs buszjárat este 8 után').getByTestId('my-votes').innerText()).toBe(
      'Szavazatod erre: 2',
    );
    expect(await card(bela, 'Nincs buszjárat este 8 után').getByTestId('my-votes').innerText()).toBe(
      'Szavazatod erre: 1',
    );
    await shoot('2-hidden-vote', pages);

    // A reload keeps the phone's own ballot and votes left: from the server...
    await anna.reload();
    await expect.poll(() => linkOf(anna)).toBe('connected');
    await expect
      .poll(() => card(anna, 'Nincs buszjárat este 8 után').getByTestId('my-votes').innerText())
      .toBe('Szavazatod erre: 2');
    expect(await anna.getByTestId('votes-left').innerText()).toBe('Elfogytak a szavazataid (2 / 2)');
    // ...and from the device's own copy while the control connection cannot get through.
    await anna.context().route('**/socket.io/**', (route) => route.abort());
    await anna.reload();
    await expect.poll(() => texts(anna)).toHaveLength(4);
    await expect
      .poll(() => card(anna, 'Nincs buszjárat este 8 után').getByTestId('my-votes').innerText())
      .toBe('Szavazatod erre: 2');
    expect(await anna.getByTestId('votes-left').innerText()).toBe('Elfogytak a szavazataid (2 / 2)');
    expect(await totals(anna)).toBe(0);
    await anna.context().unroute('**/socket.io/**');
    await anna.reload();
    await expect.poll(() => linkOf(anna)).toBe('connected');

    // Reveal of the votes: the totals appear everywhere.
    await moderator.getByTestId('vote-progress-notice').getByRole('button', { name: 'Felfedés' }).click();
    // The projector turns to the ranked results at the reveal.
    await expect
      .poll(() => projector.getByTestId('result-row').first().innerText())
      .toMatch(/Nincs buszjárat este 8 után[\s\S]*3 szavazat/);
    await projector.getByRole('button', { name: 'Tábla', exact: true }).click();
    for (const page of [moderator, projector, anna, bela]) {
      await expect
        .poll(() => card(page, 'Nincs buszjárat este 8 után').getByTestId('vote-total').getAttribute('title'))
        .toBe('3 szavazat');
    }
    expect(await moderator.getByTestId('vote-progress').innerText()).toBe('2 / 2 szavazott');

    // An anonymous board: made so while empty, shown to the residents before they write.
    await moderator.getByRole('button', { name: '+ Új tábla' }).click();
    await moderator.getByLabel('A tábla neve').fill('Névtelen ötletek');
    await moderator.getByRole('button', { name: 'Tábla létrehozása' }).click();
    await expect.poll(() => moderator.getByTestId('phase-bar').getAttribute('data-phase')).toBe('collect');
    const anonymous = moderator.getByLabel('Névtelen tábla');
    await expect.poll(() => anonymous.isDisabled()).toBe(false);
    await anonymous.check();
    for (const page of [anna, bela, projector]) {
      await page.getByTestId('board-tabs').getByRole('link', { name: 'Névtelen ötletek' }).click();
    }
    for (const page of [anna, bela]) {
      await expect
        .poll(() => page.getByTestId('anonymous-notice').innerText())
        .toContain('nem jelenik meg a neved');
      await expect.poll(() => linkOf(page)).toBe('connected');
    }
    await addCard(anna, 'problem', 'A polgármester nem hallgat meg');
    await addCard(bela, 'resource', 'Van egy üres pajta');
    await addCard(moderator, 'problem', 'A moderátor kártyája');
    const anonymousTexts = ['A moderátor kártyája', 'A polgármester nem hallgat meg', 'Van egy üres pajta'];
    for (const page of [moderator, projector, anna, bela]) {
      await expect.poll(() => sorted(page)).toEqual(anonymousTexts);
    }
    await expect.poll(() => anonymous.isDisabled()).toBe(true);
    // No author's name on any card, anywhere; each resident's own card says it is theirs.
    for (const page of [moderator, projector, anna, bela]) {
      for (const text of await cardTexts(page)) {
        expect(text).not.toMatch(/Kovács Anna|Tóth Béla|Ismeretlen|Moderátor/);
      }
    }
    await expect
      .poll(() => card(anna, 'A polgármester nem hallgat meg').getByTestId('card-author').innerText())
      .toBe('Saját kártyád');
    expect(await card(anna, 'Van egy üres pajta').getByTestId('card-author').innerText()).toBe('Névtelen');
    expect(
      await card(moderator, 'A polgármester nem hallgat meg').getByTestId('card-author').innerText(),
    ).toBe('Névtelen');
    // The moderator cannot take one person's changes back here: that would tell whose they were.
    expect(await moderator.getByRole('button', { name: 'Változtatásai visszavonása' }).count()).toBe(0);
    // Only the author edits and deletes their card.
    expect(await card(anna, 'Van egy üres pajta').getByRole('button', { name: 'Szerkesztés' }).count()).toBe(
      0,
    );
    await shoot('3-anonymous', pages);
    await card(anna, 'A polgármester nem hallgat meg').getByRole('button', { name: 'Szerkesztés' }).click();
    await anna.getByLabel('A kártya szövege').fill('A polgármester nem hallgat meg minket');
    await anna.getByRole('button', { name: 'Mentés', exact: true }).click();
    await expect.poll(() => card(bela, 'A polgármester nem hallgat meg minket').count()).toBe(1);
    const own = card(anna, 'A polgármester nem hallgat meg minket');
    await expect.poll(() => own.getByTestId('card-author').innerText()).toBe('Saját kártyád');
    await own.getByRole('button', { name: 'Törlés' }).click();
    await own.getByRole('button', { name: 'Biztosan törlöd?' }).click();
    for (const page of [moderator, projector, anna, bela]) {
      await expect.poll(() => sorted(page)).toEqual(['A moderátor kártyája', 'Van egy üres pajta']);
    }
    // Béla's card is still his after a reload: edit and delete stay his alone.
    await bela.reload();
    await expect.poll(() => linkOf(bela)).toBe('connected');
    await expect
      .poll(() => card(bela, 'Van egy üres pajta').getByTestId('card-author').innerText())
      .toBe('Saját kártyád');
    expect(await card(bela, 'Van egy üres pajta').getByRole('button', { name: 'Szerkesztés' }).count()).toBe(
      1,
    );
  });
});
