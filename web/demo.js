/*
 * The demo shop page: its texts in English or German (`?lang=de`), the advisors this server has
 * (`GET /v1/advisors`, so the page knows no advisor by name) and the chat widget, embedded the way
 * any shop embeds it: one script tag. "Ask" on an advisor switches the widget to that advisor.
 */
(() => {
  'use strict';

  const TEXTS = {
    en: {
      title: 'Luma demo shop · product advisor',
      notice: 'Demo shop: the Luma sample catalogue',
      navWomen: 'Women',
      navMen: 'Men',
      navGear: 'Gear',
      navTraining: 'Training',
      heroTitle: 'Gear up for every kind of weather',
      heroText:
        'Jackets, sportswear, bags and training gear. Not sure what fits? Answer a few quick questions and our advisor picks the right products for you, and says why.',
      advisorsTitle: 'Ask our product advisors',
      advisorsLead: 'Pick a topic: the chat opens in the corner of the page.',
      ask: 'Ask the advisor',
      noAdvisors: 'The advisors could not be loaded.',
      perk1Title: 'Free shipping',
      perk1Text: 'On orders over $50.',
      perk2Title: '30-day returns',
      perk2Text: 'Changed your mind? Send it back.',
      perk3Title: 'Real people',
      perk3Text: 'The advisor hands you to our team whenever you like.',
      footer:
        'Luma is the fictional sample shop of Magento Open Source; the product data comes from its sample data (OSL-3.0 or AFL-3.0, see catalog/LUMA-NOTICE.md). This page only demonstrates the advisor.',
    },
    de: {
      title: 'Luma-Demoshop · Produktberater',
      notice: 'Demoshop: der Luma-Beispielkatalog',
      navWomen: 'Damen',
      navMen: 'Herren',
      navGear: 'Ausrüstung',
      navTraining: 'Training',
      heroTitle: 'Gut ausgerüstet bei jedem Wetter',
      heroText:
        'Jacken, Sportbekleidung, Taschen und Trainingszubehör. Unsicher, was passt? Beantworte ein paar kurze Fragen, und unser Berater sucht die passenden Produkte für dich aus und sagt dir, warum.',
      advisorsTitle: 'Frag unsere Produktberater',
      advisorsLead: 'Wähle ein Thema: Der Chat öffnet sich unten rechts auf der Seite.',
      ask: 'Berater fragen',
      noAdvisors: 'Die Berater konnten nicht geladen werden.',
      perk1Title: 'Kostenloser Versand',
      perk1Text: 'Ab 50 $ Bestellwert.',
      perk2Title: '30 Tage Rückgabe',
      perk2Text: 'Doch nicht das Richtige? Schick es zurück.',
      perk3Title: 'Echte Menschen',
      perk3Text: 'Der Berater verbindet dich jederzeit mit unserem Team.',
      footer:
        'Luma ist der erfundene Beispielshop von Magento Open Source; die Produktdaten stammen aus dessen Beispieldaten (OSL-3.0 oder AFL-3.0, siehe catalog/LUMA-NOTICE.md). Diese Seite führt nur den Berater vor.',
    },
  };

  const params = new URLSearchParams(window.location.search);
  const lang = params.get('lang') === 'de' ? 'de' : 'en';
  const texts = TEXTS[lang];
  const ADVISOR_KEY = 'demo-shop:advisor';

  document.documentElement.lang = lang;
  document.title = texts.title;
  for (const element of document.querySelectorAll('[data-text]')) {
    const text = texts[element.dataset.text];
    if (text) element.textContent = text;
  }
  for (const link of document.querySelectorAll('.lang a')) {
    if (link.dataset.lang === lang) link.setAttribute('aria-current', 'page');
  }

  function remembered() {
    try {
      return window.sessionStorage.getItem(ADVISOR_KEY);
    } catch {
      return null;
    }
  }

  function remember(advisor) {
    try {
      window.sessionStorage.setItem(ADVISOR_KEY, advisor);
    } catch {
      // Without storage a reload shows the first advisor again.
    }
  }

  /** Embeds the widget with the one script tag a shop would paste; resolves once it is there. */
  function embed(advisor) {
    return new Promise((resolve, reject) => {
      const tag = document.createElement('script');
      tag.src = '/widget.js';
      tag.dataset.advisor = advisor;
      tag.dataset.locale = lang;
      tag.addEventListener('load', () => resolve(window.AdvisorWidget.instances[0]));
      tag.addEventListener('error', reject);
      document.body.append(tag);
    });
  }

  let widget = null;
  let embedded = null;

  /** Switches the widget to `advisor` (each advisor keeps its own conversation) and opens it. */
  async function ask(advisor) {
    remember(advisor);
    // A click before the widget's script arrived waits for it.
    widget = widget || (await embedded);
    if (!widget) return;
    if (widget.advisor !== advisor) widget.switchTo(advisor);
    widget.open(true);
  }

  async function main() {
    const list = document.getElementById('advisor-list');
    let advisors = [];
    try {
      const response = await fetch('/v1/advisors', { headers: { accept: 'application/json' } });
      advisors = (await response.json()).advisors || [];
    } catch {
      advisors = [];
    }
    if (!advisors.length) {
      const error = document.getElementById('advisor-error');
      error.textContent = texts.noAdvisors;
      error.hidden = false;
      return;
    }
    for (const advisor of advisors) {
      const title = (advisor.titles && advisor.titles[lang]) || advisor.title;
      const item = document.createElement('li');
      item.className = 'advisor-card';
      item.dataset.advisor = advisor.id;
      const heading = document.createElement('h3');
      heading.textContent = title;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = texts.ask;
      button.setAttribute('aria-label', `${texts.ask}: ${title}`);
      button.addEventListener('click', () => ask(advisor.id));
      item.append(heading, button);
      list.append(item);
    }
    const stored = remembered();
    const first = advisors.some((a) => a.id === stored) ? stored : advisors[0].id;
    embedded = embed(first).catch(() => null);
    widget = widget || (await embedded);
  }

  // A next step may have moved the widget on to another advisor: a reload embeds that one.
  window.addEventListener('pagehide', () => {
    if (widget) remember(widget.advisor);
  });

  main();
})();
