/**
 * "Nothing clipped, nothing overlapping", as an assertion rather than a look: every visible
 * control (button, input, select, textarea, link, tab) lies inside the viewport, is not cut
 * by an ancestor that hides its overflow, and overlaps no other control. Controls scrolled out
 * of a scrolling panel are reachable (the panel scrolls) and are left out; a control cut by
 * the viewport, by a non-scrolling box or sideways by a scrolling one is a defect.
 */
import type { Page } from 'playwright-core';

export interface FitProblem {
  control: string;
  problem: string;
}

export async function layoutProblems(page: Page): Promise<FitProblem[]> {
  // A script string, not a function: the test runner's transpiler would wrap a function
  // with helpers that do not exist in the page.
  return page.evaluate(`(() => {
    const problems = [];
    const W = window.innerWidth;
    const H = window.innerHeight;
    const name = (el) => {
      const label =
        el.getAttribute('aria-label') ||
        el.placeholder ||
        el.textContent?.trim().slice(0, 40) ||
        el.getAttribute('name') ||
        '';
      const cls = (el.getAttribute('class') || '').split(' ')[0];
      const type = el.getAttribute('type');
      const row = el.closest('tr')?.textContent?.trim().slice(0, 24);
      return \`\${el.tagName.toLowerCase()}\${type ? \`[\${type}]\` : ''}\${cls ? \`.\${cls}\` : ''} "\${label}"\${!label && row ? \` in row "\${row}"\` : ''}\`;
    };
    const controls = [
      ...document.querySelectorAll(
        'button, input:not([type=hidden]), select, textarea, a[href], [role=tab]',
      ),
    ].filter((el) => {
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      // checkVisibility also knows content a closed <details> hides.
      return (
        el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) &&
        style.visibility !== 'hidden' &&
        r.width > 0 &&
        r.height > 0
      );
    });
    const visible = [];
    for (const el of controls) {
      const r = el.getBoundingClientRect();
      let box = { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      let scrolledAway = false;
      let cut = '';
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const style = getComputedStyle(a);
        const clipsX = style.overflowX !== 'visible';
        const clipsY = style.overflowY !== 'visible';
        if (!clipsX && !clipsY) continue;
        const c = a.getBoundingClientRect();
        const scrolls =
          ['auto', 'scroll'].includes(style.overflowX) ||
          ['auto', 'scroll'].includes(style.overflowY);
        const clipped = {
          left: clipsX ? Math.max(box.left, c.left) : box.left,
          right: clipsX ? Math.min(box.right, c.right) : box.right,
          top: clipsY ? Math.max(box.top, c.top) : box.top,
          bottom: clipsY ? Math.min(box.bottom, c.bottom) : box.bottom,
        };
        const empty = clipped.right - clipped.left < 1 || clipped.bottom - clipped.top < 1;
        const partly =
          clipped.left > box.left + 1 ||
          clipped.right < box.right - 1 ||
          clipped.top > box.top + 1 ||
          clipped.bottom < box.bottom - 1;
        // A toolbar that scrolls sideways hides tools without a visible scrollbar: only
        // vertical scrolling (a long list, a long form) may hide a control.
        const partlyX = clipped.left > box.left + 1 || clipped.right < box.right - 1;
        if (scrolls && !partlyX) {
          if (empty) scrolledAway = true;
        } else if (partly) cut = \`cut by \${name(a)} (overflow \${style.overflow})\`;
        if (empty) break;
        box = clipped;
      }
      if (scrolledAway) continue;
      if (cut) problems.push({ control: name(el), problem: cut });
      if (box.left < -0.5 || box.top < -0.5 || box.right > W + 0.5 || box.bottom > H + 0.5)
        problems.push({
          control: name(el),
          problem: \`outside the \${W}×\${H} viewport at \${Math.round(r.left)},\${Math.round(r.top)}–\${Math.round(r.right)},\${Math.round(r.bottom)}\`,
        });
      visible.push({ el, ...box });
    }
    for (let i = 0; i < visible.length; i++)
      for (let j = i + 1; j < visible.length; j++) {
        const a = visible[i];
        const b = visible[j];
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1)
          problems.push({
            control: name(a.el),
            problem: \`overlaps \${name(b.el)} by \${Math.round(w)}×\${Math.round(h)} px\`,
          });
      }
    return problems;
  })()`) as Promise<FitProblem[]>;
}
