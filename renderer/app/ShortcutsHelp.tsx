export const SHORTCUTS: Array<[string, string]> = [
  ['Ctrl+O', 'Import files'],
  ['↑ / ↓, Enter', 'Move in the worklist, open the image'],
  ['Left drag', 'Window / level'],
  ['R', 'Reset the view'],
  ['+ / −, F, 1', 'Zoom in / out, fit to the window, 1:1'],
  ['[ / ]', 'Rotate 90° counter-clockwise / clockwise'],
  ['X / Y', 'Flip horizontally / vertically'],
  ['Right drag, Shift + drag', 'Pan'],
  ['I', 'Invert'],
  ['V', "Next VOI preset of the file (its windows and VOI LUTs)"],
  ['PageUp / PageDown, wheel', 'Previous / next frame'],
  ['C', 'Cardiothoracic ratio tool: click thorax right, thorax left, heart right, heart left'],
  ['H', 'Show or hide the AI overlay'],
  ['?', 'Show or hide this help'],
  ['Esc', 'Close this help'],
];

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <div className="overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="overlay-card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <dl>
          {SHORTCUTS.map(([keys, action]) => (
            <div key={keys}>
              <dt><kbd>{keys}</kbd></dt>
              <dd>{action}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
