export const SHORTCUTS: Array<[string, string]> = [
  ['Ctrl+O', 'Import files'],
  ['↑ / ↓, Enter', 'Move in the worklist, open the image'],
  ['Left drag', 'Window / level'],
  ['W', 'Next window preset (film: lung, soft tissue, bone; CT: HU presets), then the default'],
  ['V', 'Next VOI preset of the file (its windows and VOI LUTs)'],
  ['R', 'Reset the view'],
  ['+ / −, F, 1', 'Zoom in / out, fit to the window, 1:1'],
  ['[ / ]', 'Rotate 90° counter-clockwise / clockwise'],
  ['X / Y', 'Flip horizontally / vertically'],
  ['Right drag, Shift + drag', 'Pan'],
  ['I', 'Invert'],
  ['M', 'Magnifier (loupe) under the pointer'],
  ['PageUp / PageDown, wheel', 'Previous / next frame'],
  ['L', 'Length (mm where the image has a pixel spacing)'],
  ['A', 'Angle: first arm, vertex, second arm'],
  ['C', 'Cardiothoracic ratio (chest): thorax right, thorax left, heart right, heart left'],
  ['D', 'Optic-disc ruler (retina): two disc edges; rings at 1, 2, 3 disc diameters'],
  ['Z', 'ICROP zone I circle (retina): disc centre, then fovea'],
  ['S', 'Save the finished measurement with the study'],
  ['Esc', 'Leave the measurement tool; close this help'],
  ['G', 'Fundus view: colour → red-free → contrast-enhanced (CLAHE)'],
  ['P', 'Chest: compare with the previous film'],
  ['H', 'Show or hide the AI overlay'],
  ['?', 'Show or hide this help'],
];

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <div className="overlay" role="dialog" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div className="overlay-card" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <dl>
          {SHORTCUTS.map(([keys, action]) => (
            <div key={keys}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{action}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
