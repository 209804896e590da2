// A table wider than its box scrolls sideways; without a link inside, a keyboard user
// could not reach the hidden columns. Such a box becomes a focusable, named region
// (WCAG 2.1.1; axe's scrollable-region-focusable). Tables that fit are left alone.
"use strict";

function markScrollRegions() {
  for (const box of document.querySelectorAll(".table-responsive")) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      const caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      if (caption) {
        box.setAttribute("aria-label", caption.textContent.trim());
      }
      box.dataset.scrollRegion = "";
    } else if (!scrolls && "scrollRegion" in box.dataset) {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      delete box.dataset.scrollRegion;
    }
  }
}

markScrollRegions();
let pending = null;
window.addEventListener("resize", () => {
  window.cancelAnimationFrame(pending);
  pending = window.requestAnimationFrame(markScrollRegions);
});
// Closed <details> hide their tables until opened.
document.addEventListener("toggle", markScrollRegions, true);
