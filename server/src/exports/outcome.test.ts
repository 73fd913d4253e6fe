import {
  addCard,
  applyInitiativeChange,
  type InitiativeActor,
  type InitiativeChange,
  readContents,
  readInitiatives,
} from '@kaptar/board';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ParticipantRecord } from '../storage/store.js';
import { EXPORT_LABELS } from './labels.js';
import { initiativeOutcome, type OutcomeSources } from './outcome.js';
import { outcomeCsv, outcomeMarkdown } from './outcome-formats.js';

const person = (id: string, name: string, site: string, extra: Partial<ParticipantRecord> = {}) => ({
  id,
  sessionId: 'session',
  role: 'participant' as const,
  name,
  site,
  tokenHash: `hash-${id}`,
  createdAt: 1,
  ...extra,
});
const people: ParticipantRecord[] = [
  { ...person('mod-1', '', ''), role: 'moderator' },
  person('anna-1', 'Kovács Anna', 'Alsóváros'),
  person('bela-1', 'Szabó Béla', 'Felsőszer'),
  person('cili-1', 'Nagy Cili', 'Alsóváros', { noDevice: true }),
  person('dani-1', 'Tóth Dani', 'Felsőszer'),
];
const actor = (id: string, enteredBy: string | null = null): InitiativeActor => {
  const record = people.find((p) => p.id === id);
  if (!record) throw new Error(id);
  const role = record.role === 'moderator' ? 'moderator' : 'participant';
  return { participantId: id, role, name: record.name, site: record.site, enteredBy };
};
const moderator = actor('mod-1');

/** A board with a problem and a resource by Anna, 3 votes shown on the problem, and a card deleted since. */
function board() {
  const doc = new Y.Doc();
  const anna = { participantId: 'anna-1', role: 'participant' as const };
  const bus = addCard(doc, anna, {
    kind: 'problem',
    text: 'Nincs buszjárat este',
    site: 'Alsóváros',
    x: 0,
    y: 0,
  });
  const van = addCard(doc, anna, {
    kind: 'resource',
    text: 'Az egyháznak van kisbusza',
    site: 'Alsóváros',
    x: 0,
    y: 0,
  });
  const cards = readContents(doc).cards.map((card) => ({ ...card, votes: card.id === bus.id ? 3 : 0 }));
  return { bus: bus.id, van: van.id, cards: new Map(cards.map((card) => [card.id, card])) };
}

function founded() {
  const doc = new Y.Doc();
  const { bus, van, cards } = board();
  let at = 1_000;
  const apply = (who: InitiativeActor, change: InitiativeChange) =>
    applyInitiativeChange(doc, who, change, at++);
  const initiativeId = 'kisbusz';
  apply(actor('anna-1'), {
    op: 'propose',
    initiativeId,
    name: 'Esti kisbusz',
    type: 'advocacy',
    goal: 'Legyen esti járat a városba',
    changes: [
      { boardId: 'b1', cardId: bus },
      { boardId: 'b1', cardId: 'deleted-card' },
    ],
    buildsOn: [{ boardId: 'b1', cardId: van }],
  });
  apply(actor('bela-1'), { op: 'join', initiativeId });
  // Cili has no phone: the moderator enters her join and her task.
  apply(actor('cili-1', 'mod-1'), { op: 'join', initiativeId });
  apply(actor('bela-1'), { op: 'contact', initiativeId, agree: true });
  apply(moderator, {
    op: 'edit',
    initiativeId,
    nextMeeting: { date: '2026-12-09', time: '17:00', place: 'Kultúrház' },
  });
  apply(moderator, {
    op: 'task:add',
    initiativeId,
    taskId: 't1',
    text: 'Levél a polgármesternek',
    due: '2026-12-15',
  });
  apply(moderator, { op: 'task:add', initiativeId, taskId: 't2', text: 'Aláírások gyűjtése', due: null });
  apply(actor('cili-1', 'mod-1'), { op: 'task:take', initiativeId, taskId: 't1' });
  apply(moderator, { op: 'task:edit', initiativeId, taskId: 't1', done: true });
  apply(moderator, {
    op: 'propose',
    initiativeId: 'kert',
    name: 'Közösségi kert',
    type: 'other',
    goal: '',
    changes: [],
    buildsOn: [],
  });
  const sources: OutcomeSources = {
    lang: 'hu',
    people,
    boards: new Map([['b1', { title: 'Gyűjtés', cards }]]),
  };
  return { initiatives: readInitiatives(doc), sources };
}

describe('the outcome of initiatives', () => {
  it('names the type, the people and the linked cards in the session’s language; a card gone is left out', () => {
    const { initiatives, sources } = founded();
    const [bus, garden] = initiatives.map((i) => initiativeOutcome(i, sources));
    expect(bus).toMatchObject({
      name: 'Esti kisbusz',
      typeTitle: 'Érdekképviseleti csoportok',
      proposedBy: { name: 'Kovács Anna', site: 'Alsóváros' },
      contact: { name: 'Szabó Béla', site: 'Felsőszer' },
      nextMeeting: { date: '2026-12-09', time: '17:00', place: 'Kultúrház' },
      members: [
        { name: 'Kovács Anna', site: 'Alsóváros', enteredForThem: false },
        { name: 'Szabó Béla', site: 'Felsőszer', enteredForThem: false },
        { name: 'Nagy Cili', site: 'Alsóváros', enteredForThem: true },
      ],
      tasks: [
        {
          text: 'Levél a polgármesternek',
          owner: { name: 'Nagy Cili' },
          ownerEnteredForThem: true,
          due: '2026-12-15',
          done: true,
        },
        { text: 'Aláírások gyűjtése', owner: null, ownerEnteredForThem: false, due: null, done: false },
      ],
      changes: [{ boardTitle: 'Gyűjtés', kind: 'problem', text: 'Nincs buszjárat este', votes: 3 }],
      buildsOn: [{ kind: 'resource', text: 'Az egyháznak van kisbusza', votes: 0 }],
    });
    // The moderator proposed the garden: named as the interface names them, with no members yet.
    expect(garden).toMatchObject({
      typeTitle: 'Egyéb',
      proposedBy: { name: 'Moderátor', site: '' },
      members: [],
    });
    expect(initiativeOutcome(initiatives[0] as never, { ...sources, lang: 'en' }).typeTitle).toBe(
      'Advocacy groups',
    );
  });

  it('holds no participant id and no card’s author: the follow-up page is public behind its link', () => {
    const { initiatives, sources } = founded();
    const json = JSON.stringify(initiatives.map((i) => initiativeOutcome(i, sources)));
    for (const { id, tokenHash } of people) {
      expect(json).not.toContain(id);
      expect(json).not.toContain(tokenHash);
    }
    expect(json).not.toContain('authorId');
  });

  it('writes Markdown with the members by settlement, the marks of entries made for them, and the tasks', () => {
    const { initiatives, sources } = founded();
    const md = outcomeMarkdown(
      'Alsóvárosi műhely',
      initiatives.map((i) => initiativeOutcome(i, sources)),
      EXPORT_LABELS.hu,
    );
    expect(md).toContain('# Alsóvárosi műhely: Kezdeményezések');
    expect(md).toContain('- Következő találkozó: 2026\\. december 9\\., szerda 17:00, Kultúrház');
    expect(md).toContain(
      '- Alsóváros: Kovács Anna; Nagy Cili \\(a moderátor rögzítette\\)\n- Felsőszer: Szabó Béla',
    );
    expect(md).toContain(
      '- [x] Levél a polgármesternek — Nagy Cili \\(Alsóváros\\), a moderátor rögzítette, határidő: 2026\\. december 15\\.',
    );
    expect(md).toContain('- [ ] Aláírások gyűjtése — nincs felelőse');
    expect(md).toContain('- Probléma: Nincs buszjárat este \\(3 szavazat\\) — Gyűjtés');
    expect(md).toContain('## Közösségi kert\n\n- Típus: Egyéb\n- Javasolta: Moderátor\n');
    expect(md).not.toContain('Tagok (0)');
    expect(outcomeMarkdown('Üres', [], EXPORT_LABELS.hu)).toContain('Nem alakult kezdeményezés\\.');
  });

  it('writes the three tables as CSV: BOM, Hungarian columns and `;`, a row per initiative, member and task', () => {
    const { initiatives, sources } = founded();
    const outcome = initiatives.map((i) => initiativeOutcome(i, sources));
    const lines = (table: 'initiatives' | 'members' | 'tasks') => {
      const csv = outcomeCsv(outcome, table, EXPORT_LABELS.hu);
      expect(csv.startsWith('\uFEFF')).toBe(true);
      return csv.slice(1).trimEnd().split('\r\n');
    };
    const [head, first] = lines('initiatives');
    expect(head).toBe(
      'kezdeményezés;típus;cél;javasolta;kapcsolattartó;találkozó napja;találkozó ideje;találkozó helye;tagok;feladatok;amin változtatni szeretne;amire épít;létrehozva',
    );
    expect(first).toMatch(
      /^Esti kisbusz;Érdekképviseleti csoportok;Legyen esti járat a városba;Kovács Anna \(Alsóváros\);Szabó Béla \(Felsőszer\);2026-12-09;17:00;Kultúrház;3;2;Probléma: Nincs buszjárat este \(3 szavazat\);Erőforrás: Az egyháznak van kisbusza;\d{4}-/,
    );
    expect(lines('members')).toEqual([
      'kezdeményezés;név;település;csatlakozott;a moderátor rögzítette',
      expect.stringMatching(/^Esti kisbusz;Kovács Anna;Alsóváros;[^;]+;$/),
      expect.stringMatching(/^Esti kisbusz;Szabó Béla;Felsőszer;[^;]+;$/),
      expect.stringMatching(/^Esti kisbusz;Nagy Cili;Alsóváros;[^;]+;igen$/),
    ]);
    expect(lines('tasks')).toEqual([
      'kezdeményezés;feladat;felelős;település;határidő;kész;a moderátor rögzítette',
      'Esti kisbusz;Levél a polgármesternek;Nagy Cili;Alsóváros;2026-12-15;igen;igen',
      'Esti kisbusz;Aláírások gyűjtése;;;;nem;',
    ]);
    // In English: commas, English columns.
    expect(outcomeCsv(outcome, 'tasks', EXPORT_LABELS.en).split('\r\n')[0]).toBe(
      '\uFEFFinitiative,task,owner,settlement,due,done,entered by the moderator',
    );
  });
});
