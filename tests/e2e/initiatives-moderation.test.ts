/**
 * Looking after the initiatives once they are founded, pressed on the screens as people would:
 * the moderator asks a member to take a task ("Felkérés"), the member sees it on their phone and
 * accepts it, another declines and the task is open again; a member who holds a task and is the
 * contact leaves after being told what goes with it; the moderator merges two initiatives and
 * deletes one; a resident takes back a proposal nobody else joined, and nobody else can delete it.
 * What is not under test (proposals, joins, tasks) is seeded on the control plane, as each
 * person's own device would send it.
 */
import { type InitiativeChange, newId } from '@kaptar/board';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.js';
import { DESKTOP, screenshotPath, useBrowser } from '../support/browser.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { type ControlClient, connectControl } from '../support/control-client.js';
import { createSession } from '../support/server.js';

const ui = useBrowser();
const { cleanup, track } = cleanupAfterEach();
const MODERATOR_LAPTOP = { ...DESKTOP, viewport: { width: 1440, height: 900 } };

type Session = Awaited<ReturnType<typeof createSession>>;

/** A resident on a phone of their own, and the control connection their device would use. */
interface Resident {
  page: Page;
  control: ControlClient;
}

async function resident(session: Session, name: string, site: string): Promise<Resident> {
  const page = await ui.join(session.joinCode, name, site);
  cleanup.push(() => page.context().close());
  const token = await page.evaluate(
    (sessionId) => JSON.parse(localStorage.getItem(`kaptar:identity:${sessionId}:participant`) ?? '{}').token,
    session.sessionId,
  );
  return { page, control: track(await connectControl(ui.server.url, String(token))) };
}

async function moderatorLaptop(session: Session): Promise<Page> {
  const page = await ui.open(MODERATOR_LAPTOP, `/s/${session.sessionId}#key=${session.moderatorToken}`);
  cleanup.push(() => page.context().close());
  await page.getByTestId('moderator-panel').waitFor();
  return page;
}

/** One change as the person's device sends it; the test stops if the server refuses it. */
async function seed(control: ControlClient, change: InitiativeChange): Promise<void> {
  const ack = await control.ask('initiative', { change });
  if (!ack.ok) throw new Error(`${change.op} refused: ${String(ack.code)} ${String(ack.error)}`);
}

/** A proposal from a resident's device (they are its first member); returns its id. */
async function propose(control: ControlClient, name: string): Promise<string> {
  const initiativeId = newId();
  await seed(control, {
    op: 'propose',
    initiativeId,
    name,
    type: 'advocacy',
    goal: '',
    changes: [],
    buildsOn: [],
  });
  return initiativeId;
}

async function addTask(control: ControlClient, initiativeId: string, text: string): Promise<string> {
  const taskId = newId();
  await seed(control, { op: 'task:add', initiativeId, taskId, text, due: null });
  return taskId;
}

const details = (page: Page) => page.getByTestId('initiative-details');
const task = (page: Page, text: string) => details(page).getByTestId('task').filter({ hasText: text });
const myTask = (page: Page, text: string) =>
  page.getByTestId('my-tasks').getByTestId('task').filter({ hasText: text });
const button = (scope: Page | Locator, name: string) => scope.getByRole('button', { name, exact: true });
/** The "Kezdeményezések" switch above the board, with its badges. */
const initiativesSwitch = (page: Page) => page.getByTestId('show-initiatives');
const listedNames = (page: Page) => page.getByTestId('initiative-name').allInnerTexts();
/** Nothing reaches past the screen's right edge (a cut button cannot be pressed). */
const overflows = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** Opens one initiative from the list, as a person taps it. */
async function openInitiative(page: Page, name: string): Promise<void> {
  await initiativesSwitch(page).click();
  await page.getByTestId('initiative-summary').filter({ hasText: name }).click();
  await expect.poll(() => page.getByTestId('initiative-title').innerText()).toBe(name);
}

async function backToList(page: Page): Promise<void> {
  await page.getByRole('button', { name: /Vissza a listához/ }).click();
  await page.getByTestId('initiative-summary').first().waitFor();
}

describe('looking after initiatives in Chromium', () => {
  it('the moderator asks a member to take a task: their phone shows it, they accept; a second member declines and the task is open again', async () => {
    const session = await createSession(ui.server, 'Önsegítő csoportok – Felkérés');
    const moderatorControl = track(await connectControl(ui.server.url, session.moderatorToken));
    const mari = await resident(session, 'Kovács Mari', 'Alsóváros');
    const teri = await resident(session, 'Horváth Teri', 'Felsőhegy');
    const busId = await propose(mari.control, 'Közlekedés');
    await seed(teri.control, { op: 'join', initiativeId: busId });
    await addTask(moderatorControl, busId, 'Menetrend összeírása');
    await addTask(moderatorControl, busId, 'Levél a polgármesternek');

    const moderator = await moderatorLaptop(session);
    await openInitiative(moderator, 'Közlekedés');
    await openInitiative(mari.page, 'Közlekedés');
    // Nobody has been asked yet: no badge on anyone's switch.
    expect(await initiativesSwitch(teri.page).innerText()).not.toContain('felkérés');

    // "Felkérés": the moderator picks Teri for the timetable and asks her.
    const timetable = task(moderator, 'Menetrend összeírása');
    await timetable.getByLabel('Felkérés').selectOption({ label: 'Horváth Teri (Felsőhegy)' });
    await button(timetable, 'Felkérem').click();
    await expect.poll(() => timetable.getByTestId('task-owner').innerText()).toBe('Felkérve: Horváth Teri');

    // Teri's phone, still on the board: the badge on the "Kezdeményezések" switch.
    await expect.poll(() => initiativesSwitch(teri.page).innerText()).toContain('1 felkérés');
    await teri.page.screenshot({ path: screenshotPath('initiatives-offer-badge-390') });
    // Mari, a member too, was not asked: no badge, and she cannot take it from Teri.
    expect(await initiativesSwitch(mari.page).innerText()).not.toContain('felkérés');
    await expect
      .poll(() => task(mari.page, 'Menetrend összeírása').getByTestId('task-owner').innerText())
      .toBe('Felkérve: Horváth Teri');
    expect(
      await task(mari.page, 'Menetrend összeírása').getByRole('button', { name: 'Elvállalom' }).count(),
    ).toBe(0);

    // In "Saját feladataim", on top of the list: what she was asked, with its two answers.
    await initiativesSwitch(teri.page).click();
    const offered = myTask(teri.page, 'Menetrend összeírása');
    await offered.waitFor();
    expect(await offered.getByTestId('task-owner').innerText()).toBe('A moderátor téged kért fel erre.');
    expect(await offered.getByRole('button', { name: 'Közlekedés' }).count()).toBe(1);
    await button(offered, 'Nem vállalom').waitFor();
    await teri.page.screenshot({ path: screenshotPath('initiatives-offer-390'), fullPage: true });
    expect(await seriousViolations(teri.page)).toEqual([]);
    await button(offered, 'Elvállalom').click();

    // It is hers on every screen, and the badge is gone.
    await expect.poll(() => offered.getByTestId('task-owner').innerText()).toBe('Vállalta: Horváth Teri');
    await expect.poll(() => initiativesSwitch(teri.page).innerText()).not.toContain('felkérés');
    await expect
      .poll(() => task(mari.page, 'Menetrend összeírása').getByTestId('task-owner').innerText())
      .toBe('Vállalta: Horváth Teri');
    await expect.poll(() => timetable.getByTestId('task-owner').innerText()).toBe('Vállalta: Horváth Teri');
    // Taken: nobody is asked to take it any more.
    expect(await timetable.getByLabel('Felkérés').count()).toBe(0);

    // A second offer, to Mari, who declines it.
    const letter = task(moderator, 'Levél a polgármesternek');
    await letter.getByLabel('Felkérés').selectOption({ label: 'Kovács Mari (Alsóváros)' });
    await button(letter, 'Felkérem').click();
    await expect.poll(() => initiativesSwitch(mari.page).innerText()).toContain('1 felkérés');
    await backToList(mari.page);
    const asked = myTask(mari.page, 'Levél a polgármesternek');
    expect(await asked.getByTestId('task-owner').innerText()).toBe('A moderátor téged kért fel erre.');
    await button(asked, 'Nem vállalom').click();

    // Open again: off Mari's tasks and badge; nobody has it; anyone may take it, or be asked.
    await expect.poll(() => mari.page.getByTestId('my-tasks').count()).toBe(0);
    await expect.poll(() => initiativesSwitch(mari.page).innerText()).not.toContain('felkérés');
    await expect.poll(() => letter.getByTestId('task-owner').innerText()).toBe('Még senki nem vállalta.');
    await letter.getByLabel('Felkérés').waitFor();
    await teri.page.getByTestId('initiative-summary').click();
    await expect
      .poll(() => task(teri.page, 'Levél a polgármesternek').getByTestId('task-owner').innerText())
      .toBe('Még senki nem vállalta.');
    expect(await button(task(teri.page, 'Levél a polgármesternek'), 'Elvállalom').count()).toBe(1);
    expect(await seriousViolations(moderator)).toEqual([]);
  });

  it('a member who holds a task and is the contact leaves after a second press: the task is open and the contact empty on every screen', async () => {
    const session = await createSession(ui.server, 'Önsegítő csoportok – Kilépés');
    const mari = await resident(session, 'Kovács Mari', 'Alsóváros');
    const teri = await resident(session, 'Horváth Teri', 'Felsőhegy');
    const busId = await propose(mari.control, 'Közlekedés');
    await seed(teri.control, { op: 'join', initiativeId: busId });
    await seed(teri.control, { op: 'contact', initiativeId: busId, agree: true });
    const taskId = await addTask(mari.control, busId, 'Menetrend összeírása');
    await seed(teri.control, { op: 'task:take', initiativeId: busId, taskId });

    const moderator = await moderatorLaptop(session);
    await openInitiative(moderator, 'Közlekedés');
    await openInitiative(mari.page, 'Közlekedés');
    await openInitiative(teri.page, 'Közlekedés');
    expect(await teri.page.getByTestId('initiative-contact').innerText()).toBe('Horváth Teri');

    // She is told what goes with her before she leaves; "Maradok" keeps everything as it was.
    await button(details(teri.page), 'Mégsem vagyok benne').click();
    await details(teri.page).getByText('Ha kilépsz, ezeket valaki másnak kell átvennie:').waitFor();
    expect(await details(teri.page).getByTestId('leave-holds').getByRole('listitem').allInnerTexts()).toEqual(
      ['a kapcsolattartás', 'Menetrend összeírása'],
    );
    await teri.page.screenshot({ path: screenshotPath('initiatives-leave-confirm-390'), fullPage: true });
    expect(await seriousViolations(teri.page)).toEqual([]);
    // At 200 % zoom too, both answers whole on the screen.
    await teri.page.setViewportSize({ width: 195, height: 422 });
    await teri.page.screenshot({ path: screenshotPath('initiatives-leave-confirm-195'), fullPage: true });
    expect(await overflows(teri.page)).toBe(false);
    await teri.page.setViewportSize({ width: 390, height: 844 });
    await button(details(teri.page), 'Maradok').click();
    await teri.page.getByTestId('you-are-in').waitFor();
    expect(await moderator.getByTestId('initiative-contact').innerText()).toBe('Horváth Teri');

    await button(details(teri.page), 'Mégsem vagyok benne').click();
    await button(details(teri.page), 'Igen, kilépek').click();
    await details(teri.page).getByTestId('join-initiative').waitFor();

    for (const page of [teri.page, mari.page, moderator]) {
      await expect
        .poll(() => page.getByTestId('initiative-contact').innerText())
        .toBe('Még nincs kapcsolattartó.');
      await expect
        .poll(() => task(page, 'Menetrend összeírása').getByTestId('task-owner').innerText())
        .toBe('Még senki nem vállalta.');
      expect(await details(page).getByTestId('initiative-member-list').innerText()).not.toContain(
        'Horváth Teri',
      );
    }
    // Mari may now take both on.
    await button(details(mari.page), 'Vállalom a kapcsolattartást').waitFor();
    await button(task(mari.page, 'Menetrend összeírása'), 'Elvállalom').waitFor();
    // The list says so too, and Teri has no tasks left.
    await backToList(moderator);
    expect(await moderator.getByTestId('initiative-summary').innerText()).not.toContain('Kapcsolattartó');
    await backToList(teri.page);
    expect(await teri.page.getByTestId('my-tasks').count()).toBe(0);
  });

  it('the moderator merges two initiatives (members once, tasks of both, the other gone from every phone) and deletes one', async () => {
    const session = await createSession(ui.server, 'Önsegítő csoportok – Összevonás');
    const mari = await resident(session, 'Kovács Mari', 'Alsóváros');
    const teri = await resident(session, 'Horváth Teri', 'Felsőhegy');
    const busId = await propose(mari.control, 'Közlekedés');
    const timetable = await addTask(mari.control, busId, 'Menetrend összeírása');
    await seed(mari.control, { op: 'task:take', initiativeId: busId, taskId: timetable });
    const weekendId = await propose(teri.control, 'Buszjárat hétvégén');
    await seed(mari.control, { op: 'join', initiativeId: weekendId });
    await addTask(teri.control, weekendId, 'Aláírásgyűjtés');
    const playgroundId = await propose(teri.control, 'Játszótér');
    await seed(mari.control, { op: 'join', initiativeId: playgroundId });
    // The merged one's follow-up page, handed out to a member earlier.
    const link = await teri.control.ask('initiative:link', { initiativeId: weekendId });
    expect(link).toMatchObject({ ok: true });

    const moderator = await moderatorLaptop(session);
    await openInitiative(teri.page, 'Buszjárat hétvégén');
    await initiativesSwitch(mari.page).click();
    await expect
      .poll(() => listedNames(mari.page))
      .toEqual(['Közlekedés', 'Buszjárat hétvégén', 'Játszótér']);

    // The moderator merges "Buszjárat hétvégén" into "Közlekedés", told first what goes where.
    await openInitiative(moderator, 'Buszjárat hétvégén');
    await details(moderator).getByLabel('Összevonás ezzel:').selectOption({ label: 'Közlekedés' });
    const warning = details(moderator).getByTestId('merge-warning');
    expect(await warning.innerText()).toBe(
      '„Buszjárat hétvégén” tagjai, feladatai és kártyái átkerülnek ide: „Közlekedés”. „Buszjárat hétvégén” megszűnik, a követő oldalával együtt.',
    );
    await warning.scrollIntoViewIfNeeded();
    await moderator.screenshot({ path: screenshotPath('initiatives-merge-1440x900') });
    expect(await seriousViolations(moderator)).toEqual([]);
    await button(details(moderator), 'Összevonás').click();

    // The moderator is on the one that stays: both members once, the tasks of both.
    await expect.poll(() => moderator.getByTestId('initiative-title').innerText()).toBe('Közlekedés');
    const members = () => details(moderator).getByTestId('members-of-site').allInnerTexts();
    await expect
      .poll(members)
      .toEqual([expect.stringContaining('Kovács Mari'), expect.stringContaining('Horváth Teri')]);
    const memberList = details(moderator).getByTestId('initiative-member-list');
    expect(await memberList.getByRole('heading', { name: 'Tagok (2)' }).count()).toBe(1);
    expect(await memberList.getByRole('listitem').filter({ hasText: 'Kovács Mari' }).count()).toBe(1);
    expect(await details(moderator).getByTestId('task-text-shown').allInnerTexts()).toEqual([
      'Menetrend összeírása',
      'Aláírásgyűjtés',
    ]);
    expect(await task(moderator, 'Menetrend összeírása').getByTestId('task-owner').innerText()).toBe(
      'Vállalta: Kovács Mari',
    );

    // Gone from every phone: the list, and the details Teri had open say what happened.
    await expect.poll(() => listedNames(mari.page)).toEqual(['Közlekedés', 'Játszótér']);
    await teri.page.getByText('Ez a kezdeményezés már nincs meg (törölték vagy összevonták).').waitFor();
    await button(teri.page, 'Vissza a listához').click();
    await expect.poll(() => listedNames(teri.page)).toEqual(['Közlekedés', 'Játszótér']);
    expect(
      await teri.page.getByTestId('initiative-summary').first().getByTestId('initiative-members').innerText(),
    ).toBe('2 tag · Alsóváros: 1 · Felsőhegy: 1');
    // Its follow-up page went with it.
    const followUp = await fetch(`${ui.server.url}/api/follow-up/${String(link.token)}`);
    expect(followUp.status).toBe(404);

    // The moderator deletes "Játszótér" (others joined it: only the moderator may), after a second press.
    await backToList(moderator);
    await openInitiative(moderator, 'Játszótér');
    await button(details(moderator), 'Törlés').click();
    await details(moderator)
      .getByText('Biztosan törlöd: „Játszótér”? A tagjai és a feladatai is törlődnek.')
      .waitFor();
    await button(details(moderator), 'Igen, törlöm').click();
    await expect.poll(() => listedNames(moderator)).toEqual(['Közlekedés']);
    await expect.poll(() => listedNames(mari.page)).toEqual(['Közlekedés']);
    await expect.poll(() => listedNames(teri.page)).toEqual(['Közlekedés']);
  });

  it('a resident takes back a proposal nobody else joined; nobody else can delete it, nor can they once someone joined', async () => {
    const session = await createSession(ui.server, 'Önsegítő csoportok – Visszavonás');
    const mari = await resident(session, 'Kovács Mari', 'Alsóváros');
    const teri = await resident(session, 'Horváth Teri', 'Felsőhegy');
    const gardenId = await propose(teri.control, 'Közösségi kert');
    const playgroundId = await propose(teri.control, 'Játszótér');
    await seed(mari.control, { op: 'join', initiativeId: playgroundId });

    // Mari may not delete Teri's proposal: no button for it, and the server says no as well.
    await openInitiative(mari.page, 'Közösségi kert');
    await details(mari.page).getByTestId('join-initiative').waitFor();
    expect(await button(details(mari.page), 'Javaslat visszavonása').count()).toBe(0);
    expect(await button(details(mari.page), 'Törlés').count()).toBe(0);
    expect(
      await mari.control.ask('initiative', { change: { op: 'delete', initiativeId: gardenId } }),
    ).toMatchObject({
      ok: false,
      code: 'not-allowed',
    });

    // Nor may Teri take back the one Mari joined: it is not hers alone any more.
    await openInitiative(teri.page, 'Játszótér');
    await details(teri.page).getByTestId('edit-initiative').waitFor();
    expect(await button(details(teri.page), 'Javaslat visszavonása').count()).toBe(0);
    expect(
      await teri.control.ask('initiative', { change: { op: 'delete', initiativeId: playgroundId } }),
    ).toMatchObject({
      ok: false,
      code: 'not-allowed',
    });

    // Her garden nobody joined: she takes it back, after a second press.
    await backToList(teri.page);
    await openInitiative(teri.page, 'Közösségi kert');
    await button(details(teri.page), 'Javaslat visszavonása').click();
    await details(teri.page)
      .getByText('Visszavonod a javaslatodat: „Közösségi kert”? Még senki más nem csatlakozott hozzá.')
      .waitFor();
    await teri.page.screenshot({ path: screenshotPath('initiatives-withdraw-390'), fullPage: true });
    expect(await seriousViolations(teri.page)).toEqual([]);
    await teri.page.setViewportSize({ width: 360, height: 740 });
    await teri.page.screenshot({ path: screenshotPath('initiatives-withdraw-360'), fullPage: true });
    expect(await overflows(teri.page)).toBe(false);
    await button(details(teri.page), 'Igen, visszavonom').click();

    await expect.poll(() => listedNames(teri.page)).toEqual(['Játszótér']);
    await mari.page.getByText('Ez a kezdeményezés már nincs meg (törölték vagy összevonták).').waitFor();
    await button(mari.page, 'Vissza a listához').click();
    await expect.poll(() => listedNames(mari.page)).toEqual(['Játszótér']);
  });
});
