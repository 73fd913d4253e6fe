import type { BoardExport, ExportedCard } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { toCsv, toMarkdown } from './formats.js';
import { EXPORT_LABELS } from './labels.js';

const { hu, en } = EXPORT_LABELS;

const board = (text: string, group = 'Közlekedés'): BoardExport => ({
  boardId: 'b1',
  sessionTitle: 'Műhely',
  phase: 'discuss',
  groups: [{ id: 'g1', title: group }],
  areas: [{ id: 'problems', title: 'Problémák' }],
  cards: [
    {
      id: 'c1',
      kind: 'problem',
      text,
      groupId: 'g1',
      group,
      votes: 2,
      site: 'Alsóváros',
      author: 'Anna',
      enteredBy: '',
      createdAt: 0,
      area: 'Problémák',
    },
  ],
});

/** The rows of a CSV file without its BOM, split on the record separator. */
const rows = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');

describe('CSV export', () => {
  it('is Hungarian for Hungarian Excel: a BOM, `;` between columns, Hungarian headers and kinds', () => {
    const csv = toCsv(board('Nincs busz'), hu);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(rows(csv)).toEqual([
      'típus;szöveg;csoport;szavazat;település;szerző;idő;terület;rögzítette',
      'Probléma;Nincs busz;Közlekedés;2;Alsóváros;Anna;1970-01-01T00:00:00.000Z;Problémák;',
    ]);
  });

  it('is English with commas for an English session', () => {
    const csv = toCsv(board('Nincs busz'), en);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(rows(csv)).toEqual([
      'kind,text,group,votes,settlement,author,time,area,entered by',
      'Problem,Nincs busz,Közlekedés,2,Alsóváros,Anna,1970-01-01T00:00:00.000Z,Problémák,',
    ]);
  });

  it('quotes a field holding its separator, a quote or a line break, and nothing else', () => {
    const text = 'egy; kettő, "három"\nnégy';
    expect(rows(toCsv(board(text), hu))[1]).toBe(
      'Probléma;"egy; kettő, ""három""\nnégy";Közlekedés;2;Alsóváros;Anna;1970-01-01T00:00:00.000Z;Problémák;',
    );
    expect(rows(toCsv(board('egy, kettő'), hu))[1]).toContain(';egy, kettő;');
    expect(rows(toCsv(board('egy; kettő'), en))[1]).toContain(',egy; kettő,');
    expect(rows(toCsv(board('egy, kettő'), en))[1]).toContain(',"egy, kettő",');
  });

  it('keeps a cell that starts like a formula from running', () => {
    for (const formula of ['=HYPERLINK("http://x")', '+1', '-1+2', '@SUM(A1)']) {
      const csv = toCsv(board(formula), en);
      expect(csv).toContain(formula.includes('"') ? `"'${formula.replaceAll('"', '""')}"` : `'${formula}`);
    }
  });

  it('leaves out what the text rule refuses (texts stored before it)', () => {
    expect(toCsv(board('Nin\u0000cs \u202Ebusz\u0007'), hu)).toContain(';Nincs busz;');
    // A control character in front of a formula does not hide it.
    expect(toCsv(board('\u0000=1+1'), hu)).toContain(";'=1+1;");
  });

  it('says who typed a card for a resident without a phone, in a column of its own', () => {
    const entered = board('Nincs orvos');
    entered.cards = entered.cards.map((card) => ({
      ...card,
      author: 'Kiss Jánosné',
      enteredBy: 'Moderátor',
    }));
    expect(rows(toCsv(entered, hu))[1]).toBe(
      'Probléma;Nincs orvos;Közlekedés;2;Alsóváros;Kiss Jánosné;1970-01-01T00:00:00.000Z;Problémák;Moderátor',
    );
  });
});

describe('Markdown export', () => {
  // An untitled group comes labelled as the board shows it (boardExport's groupLabels).
  const loose = (untitled: string): BoardExport => ({
    ...board('Nincs busz'),
    snapshot: {
      id: 's1',
      boardId: 'b1',
      name: 'Gyűjtés → Csoportosítás',
      kind: 'auto',
      createdAt: 0,
      createdBy: 'm',
      cardCount: 3,
      voteCount: 1,
    },
    groups: [{ id: 'g1', title: untitled }],
    // A board without areas lists its loose cards by kind.
    areas: [],
    cards: [
      { ...board('Nincs busz').cards[0], votes: 1 } as BoardExport['cards'][number],
      {
        ...(board('Van közösségi ház').cards[0] as BoardExport['cards'][number]),
        id: 'c2',
        kind: 'resource',
        groupId: '',
        group: '',
        votes: 0,
      },
      {
        ...(board('Rossz az út').cards[0] as BoardExport['cards'][number]),
        id: 'c3',
        groupId: '',
        group: '',
        votes: 3,
      },
    ],
  });

  it('is Hungarian throughout for a Hungarian session', () => {
    expect(toMarkdown(loose('Névtelen csoport 1'), hu)).toBe(
      [
        '# Műhely',
        '',
        'Pillanatkép: Gyűjtés → Csoportosítás (1970-01-01T00:00:00.000Z)',
        '',
        'Szakasz: Megbeszélés',
        '',
        '## Névtelen csoport 1',
        '',
        '- Probléma: Nincs busz (1 szavazat) — Anna, Alsóváros',
        '',
        '## Problémák',
        '',
        '- Probléma: Rossz az út (3 szavazat) — Anna, Alsóváros',
        '',
        '## Erőforrások',
        '',
        '- Erőforrás: Van közösségi ház — Anna, Alsóváros',
        '',
      ].join('\n'),
    );
  });

  it('is English throughout for an English session', () => {
    const md = toMarkdown(loose('Untitled group 1'), en);
    expect(md).toContain('Snapshot: Gyűjtés → Csoportosítás');
    expect(md).toContain('Phase: Discuss');
    expect(md).toContain('## Untitled group 1\n\n- Problem: Nincs busz (1 vote) — Anna, Alsóváros');
    expect(md).toContain('## Problems\n\n- Problem: Rossz az út (3 votes)');
    expect(md).toContain('## Resources\n\n- Resource: Van közösségi ház — Anna');
  });

  it("marks a card the moderator typed for a resident without a phone, after the resident's name", () => {
    const entered = board('Nincs orvos');
    entered.cards = entered.cards.map((card) => ({
      ...card,
      author: 'Kiss Jánosné',
      enteredBy: 'Moderátor',
    }));
    expect(toMarkdown(entered, hu)).toContain(
      '- Probléma: Nincs orvos (2 szavazat) — Kiss Jánosné, Alsóváros · a moderátor rögzítette',
    );
    expect(toMarkdown(entered, en)).toContain('— Kiss Jánosné, Alsóváros · entered by the moderator');
    expect(toMarkdown(board('Nincs orvos'), hu)).not.toContain('rögzítette');
  });

  it('escapes Markdown and HTML, references included, on one line', () => {
    const md = toMarkdown(board('*bold* <img src=x> &lt;b&gt; [link](http://x)\n# cím'), en);
    expect(md).toContain(
      '- Problem: \\*bold\\* \\<img src=x\\> \\&lt;b\\&gt; \\[link\\]\\(http://x\\) \\# cím (2 votes)',
    );
    expect(toMarkdown(board('Nin\u0000cs \u202Ebusz\u0007', `Köz\u0000lekedés`), hu)).toContain(
      '## Közlekedés\n\n- Probléma: Nincs busz (2 szavazat)',
    );
  });

  it("lists loose cards under their template's areas, in its order", () => {
    const fourTypes: BoardExport = {
      ...board('Falugyűlés', ''),
      groups: [],
      areas: [
        { id: 'personal-change', title: 'Személyes változást segítő csoportok' },
        { id: 'advocacy', title: 'Érdekképviseleti csoportok' },
      ],
      cards: [
        {
          ...(board('Falugyűlés').cards[0] as ExportedCard),
          kind: 'note',
          groupId: '',
          group: '',
          area: 'Érdekképviseleti csoportok',
        },
      ],
    };
    const md = toMarkdown(fourTypes, hu);
    expect(md).toContain('## Érdekképviseleti csoportok\n\n- Ötlet: Falugyűlés');
    expect(md).not.toContain('Személyes változást');
    expect(rows(toCsv(fourTypes, hu))[1]?.endsWith(';Érdekképviseleti csoportok;')).toBe(true);
  });
});
