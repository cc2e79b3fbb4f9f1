// The dashboard on a phone (style.css's phone section, below 600 px): every table becomes a list of
// cards, each cell labelled with its column's header, and the menu folds behind one button.
// Generic on purpose: whatever table any page draws, now or later, gets its cells' data-label
// attributes from its <th> texts once it is in the page (a MutationObserver watches <main>), so a
// new table needs nothing of its own. window.labelTables(root) does it at once for who cannot wait.
"use strict";

(function () {
  // The header text of each column of `table`, a header spanning n columns counted n times.
  function columnNames(table) {
    const headRow = (table.tHead && table.tHead.rows[table.tHead.rows.length - 1]) ||
      Array.from(table.rows).find((r) => r.querySelector("th"));
    const names = [];
    if (!headRow) return names;
    for (const cell of headRow.cells)
      for (let i = 0; i < (cell.colSpan || 1); i++) names.push(cell.textContent.trim());
    return names;
  }

  function labelTable(table) {
    const names = columnNames(table);
    if (!names.length) return;
    for (const body of table.tBodies)
      for (const row of body.rows) {
        let column = 0;
        for (const cell of row.cells) {
          // A cell across the whole row ("no records yet") is a sentence, not a field: no label.
          const label = cell.colSpan > 1 && cell.colSpan >= names.length ? "" : names[column] || "";
          if (cell.getAttribute("data-label") !== label) cell.setAttribute("data-label", label);
          column += cell.colSpan || 1;
        }
      }
  }

  function labelTables(root) {
    (root || document).querySelectorAll("table").forEach(labelTable);
  }

  // Pages render (and re-render) their tables asynchronously: label after each change, once per frame.
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      labelTables(document);
    });
  });

  function start() {
    const main = document.getElementById("main") || document.body;
    observer.observe(main, { childList: true, subtree: true });
    labelTables(document);
    // The menu: one button on a phone shows or hides it (style.css keeps it open on wider screens).
    const toggle = document.getElementById("menu-toggle");
    const bar = toggle && toggle.closest(".topbar");
    if (toggle && bar)
      toggle.addEventListener("click", () => {
        const open = bar.classList.toggle("menu-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
  }

  window.labelTables = labelTables;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
