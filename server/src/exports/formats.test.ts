import type { BoardExport } from '@kaptar/protocol';
import { describe, expect, it } from 'vitest';
import { toCsv, toMarkdown } from './formats.js';

const board = (text: string, group = 'Közlekedés'): BoardExport => ({
  boardId: 'b1',
  sessionTitle: 'Műhely',
  phase: 'discuss',
  groups: [{ id: 'g1', title: group }],
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
      createdAt: 0,
    },
  ],
});

describe('CSV and Markdown exports', () => {
  it('keep a cell that starts like a formula from running, and quote what needs quoting', () => {
    for (const formula of ['=HYPERLINK("http://x")', '+1', '-1+2', '@SUM(A1)']) {
      const csv = toCsv(board(formula));
      expect(csv).toContain(formula.includes('"') ? `"'${formula.replaceAll('"', '""')}"` : `'${formula}`);
    }
    expect(toCsv(board('egy, "kettő"\nhárom'))).toContain('"egy, ""kettő""\nhárom"');
  });

  it('leave out what the text rule refuses (texts stored before it), in CSV and Markdown', () => {
    const odd = 'Nin\u0000cs \u202Ebusz\u0007';
    expect(toCsv(board(odd))).toContain(',Nincs busz,');
    expect(toMarkdown(board(odd, `Köz\u0000lekedés`))).toContain(
      '## Közlekedés\n\n- Problem: Nincs busz (2 votes)',
    );
    // A control character in front of a formula does not hide it.
    expect(toCsv(board('\u0000=1+1'))).toContain(",'=1+1,");
  });

  it('escape Markdown and HTML, references included, on one line', () => {
    const md = toMarkdown(board('*bold* <img src=x> &lt;b&gt; [link](http://x)\n# cím'));
    expect(md).toContain(
      '- Problem: \\*bold\\* \\<img src=x\\> \\&lt;b\\&gt; \\[link\\]\\(http://x\\) \\# cím (2 votes)',
    );
  });
});
