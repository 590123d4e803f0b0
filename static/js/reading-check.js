// The reading check in the article form: as the editor types, the form as it is now is sent to the
// staff-only reading endpoint (editorial/admin/article_reading.py) and its figures, highlights and
// author checks are shown in the panel under the body. Progressive enhancement only: without it, the
// stored figures still show, and nothing is saved by this script.
const startReadingCheck = () => {
  const panel = document.querySelector(".reading-check[data-reading-url]");
  const form = panel && panel.closest("form");
  // A page that cannot be changed has no text fields: its stored figures are all there is to show.
  if (!form || !form.elements.namedItem("body")) return;
  const url = panel.dataset.readingUrl;
  const WAIT = 700; // milliseconds after the last keystroke
  const part = (name) => panel.querySelector(`[data-reading="${name}"]`);
  const READ = /^(title|summary|body|kind|faqs-\d+-(question|answer|DELETE))$/;
  let timer = null;
  let inFlight = null;
  let lastVerdict = null;

  const grade = (value) => (value === null ? "–" : value.toFixed(1));

  const placeOf = (place) => {
    if (place.faq) return `${place.section}, question ${place.faq}`;
    if (place.line) return `${place.section}, line ${place.line}`;
    return place.section || "Whole article";
  };

  const item = (place, text, extra) => {
    const li = document.createElement("li");
    const where = document.createElement("span");
    where.className = "reading-check-place";
    where.textContent = `${placeOf(place)}: `;
    li.append(where, text);
    if (extra) {
      const fix = document.createElement("span");
      fix.textContent = ` ${extra}`;
      li.append(fix);
    }
    return li;
  };

  const fill = (name, items) => {
    part(name).replaceChildren(...items);
    part(`${name}-count`).textContent = `(${items.length})`;
  };

  const show = (data) => {
    part("age").textContent = grade(data.reading_age);
    part("smog").textContent = `SMOG grade ${grade(data.smog_grade)}`;
    part("fk").textContent = `Flesch–Kincaid grade ${grade(data.fk_grade)}`;
    part("counts").textContent = `${data.sentences} sentences, ${data.words} words`;
    const verdict = part("verdict");
    let text;
    if (data.reading_age === null) text = "No text to measure yet.";
    else if (data.over_target) text = `Over the target of ${data.target_reading_age}: try shorter sentences and plainer words.`;
    else text = `Within the target of ${data.target_reading_age}.`;
    verdict.textContent = text;
    verdict.classList.toggle("is-over", data.over_target);

    part("sections").replaceChildren(
      ...data.sections.map((section) => {
        const row = document.createElement("tr");
        const head = document.createElement("th");
        head.scope = "row";
        head.textContent = section.title;
        row.append(head);
        for (const value of [grade(section.reading_age), grade(section.smog_grade), grade(section.fk_grade), section.sentences]) {
          const cell = document.createElement("td");
          cell.textContent = value;
          row.append(cell);
        }
        return row;
      }),
    );
    fill("long", data.long_sentences.map((s) => item(s.place, `${s.words} words: “${s.text}”`)));
    fill("plain", data.plain_words.map((w) => item(w.place, `“${w.word}”: try “${w.plain}”.`)));
    fill(
      "checks",
      data.checks.map((c) => item({ section: c.section, line: c.line }, c.problem, c.fix)),
    );
    part("live").hidden = false;

    // The live region speaks only when the verdict or the whole reading age changes.
    const said = data.reading_age === null ? "none" : `${Math.floor(data.reading_age)}-${data.over_target}`;
    if (said !== lastVerdict) {
      lastVerdict = said;
      part("status").textContent =
        data.reading_age === null ? "" : `Reading age ${grade(data.reading_age)}. ${text}`;
    }
  };

  const check = async () => {
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: inFlight.signal,
      });
      if (!response.ok) throw new Error(`reading check: ${response.status}`);
      show(await response.json());
    } catch (error) {
      if (error.name === "AbortError") return;
      part("verdict").textContent = "The reading check could not be updated: the figures shown are from before.";
      part("status").textContent = "The reading check could not be updated.";
    }
  };

  const later = (event) => {
    if (!event.target.name || !READ.test(event.target.name)) return;
    clearTimeout(timer);
    timer = setTimeout(check, WAIT);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  check();
};

// Loaded in the page's head with the admin's other scripts: start once the form is there.
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startReadingCheck);
else startReadingCheck();
