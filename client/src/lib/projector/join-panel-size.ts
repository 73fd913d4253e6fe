/** How much room the projector's join panel takes: kept on the projector's device between reloads. */
export const JOIN_PANEL_SIZES = ['full', 'small', 'hidden'] as const;
export type JoinPanelSize = (typeof JOIN_PANEL_SIZES)[number];

const KEY = 'kaptar:projector:join-panel';

export function loadJoinPanelSize(): JoinPanelSize {
  try {
    const saved = localStorage.getItem(KEY);
    return (JOIN_PANEL_SIZES as readonly string[]).includes(saved ?? '') ? (saved as JoinPanelSize) : 'full';
  } catch {
    return 'full';
  }
}

export function saveJoinPanelSize(size: JoinPanelSize): void {
  try {
    localStorage.setItem(KEY, size);
  } catch {
    // Without storage the panel is full again after a reload: nothing is lost.
  }
}
