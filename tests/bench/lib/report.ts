/** What every scenario returns: tables to print, the targets it checks, and its raw figures. */

export interface TargetCheck {
  what: string;
  target: string;
  measured: string;
  met: boolean;
}

export interface ScenarioReport {
  scenario: string;
  /** Row label → column → value, printed with console.table. */
  table: Record<string, Record<string, string | number>>;
  targets: TargetCheck[];
  notes: string[];
  /** Everything measured, for the JSON results. */
  figures: Record<string, unknown>;
}

export function check(what: string, target: string, measured: string, met: boolean): TargetCheck {
  return { what, target, measured, met };
}

export function printReport(report: ScenarioReport): void {
  console.log(`\n## ${report.scenario}`);
  console.table(report.table);
  for (const note of report.notes) console.log(note);
  for (const target of report.targets) {
    console.log(
      `${target.met ? 'met    ' : 'MISSED '} ${target.what}: ${target.measured} (target ${target.target})`,
    );
  }
}
