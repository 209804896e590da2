// Progress bars take their width from data-progress (a percentage): the
// Content-Security-Policy forbids inline style attributes, not styles set by a script.
// The width is drawn at once, without Bootstrap's slide from zero at every page load.
document.querySelectorAll(".progress-bar[data-progress]").forEach((bar) => {
  const percent = Math.min(100, Math.max(0, Number(bar.dataset.progress) || 0));
  bar.style.transition = "none";
  bar.style.width = `${percent}%`;
});
