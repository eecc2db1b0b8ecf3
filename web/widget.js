/*
 * The product advisor's chat widget. One tag embeds it in any page:
 *
 *   <script src="https://advisor.example/widget.js" data-advisor="jackets" data-locale="de"></script>
 *
 * data-advisor  the advisor to talk to (required for the tag to mount a widget)
 * data-locale   the conversation's and the widget's language (default: the page's `lang`, then the
 *               browser's)
 * data-api      the advisor API's base URL (default: the origin this script was loaded from)
 * data-context  the customer's situation as the page knows it, a JSON object sent with the start,
 *               e.g. '{"weather":"sunny","temperature_c":28,"when":"today"}' (the widget never
 *               looks up a location or the weather itself)
 * data-opt-out  present: no analytics for the conversation (so is `navigator.globalPrivacyControl`)
 *
 * Pages that want more control load the script without `data-advisor` and call
 * `AdvisorWidget.mount({advisor, locale, api, context, optOut})`, which returns the widget
 * (`open()`, `close()`, `switchTo(advisor)`, `destroy()`). Plain JavaScript, no dependencies, no requests except to the advisor API and this
 * script's own stylesheet. Everything lives in a shadow root, so the page's CSS does not reach it.
 */
(() => {
  'use strict';

  /** The widget's own words; every customer-facing sentence of a conversation comes from the API. */
  const STRINGS = {
    en: {
      launcher: 'Product advisor',
      open: 'Open the product advisor',
      title: 'Product advisor',
      close: 'Close',
      conversation: 'Conversation',
      you: 'You said:',
      message: 'Your message',
      placeholder: 'Or type what you need…',
      send: 'Send',
      handoff: 'Talk to a person',
      confirm: 'Confirm',
      products: (n) => (n === 1 ? '1 product' : `${n} products`),
      reasons: 'Why it fits',
      misses: 'Misses:',
      view: 'View product',
      typing: 'The advisor is writing…',
      handedOff: 'Handed over to our team',
      newConversation: 'Start a new conversation',
      goesWellWith: 'Goes well with',
      goesWellWithItem: (title) => `Goes well with ${title}`,
      nextStep: 'A suggestion',
      why: 'Why am I seeing this?',
      nextProducts: 'Suggested products',
      nextLink: 'Take a look',
      newTab: '(opens in a new tab)',
      nextHandoff: 'Yes, talk to a person',
      nextAdvisor: "Yes, let's start",
      noThanks: 'No thanks',
      expired: 'This conversation has ended. Here is a new one.',
      network: 'No connection to the advisor. Please try again.',
      failed: 'Something went wrong. Please try again.',
    },
    de: {
      launcher: 'Produktberater',
      open: 'Produktberater öffnen',
      title: 'Produktberater',
      close: 'Schließen',
      conversation: 'Gespräch',
      you: 'Du hast gesagt:',
      message: 'Deine Nachricht',
      placeholder: 'Oder schreib, was du brauchst …',
      send: 'Senden',
      handoff: 'Mit einem Menschen sprechen',
      confirm: 'Bestätigen',
      products: (n) => (n === 1 ? '1 Produkt' : `${n} Produkte`),
      reasons: 'Warum es passt',
      misses: 'Fehlt:',
      view: 'Zum Produkt',
      typing: 'Der Berater schreibt …',
      handedOff: 'An unser Team übergeben',
      newConversation: 'Neues Gespräch beginnen',
      goesWellWith: 'Passt gut dazu',
      goesWellWithItem: (title) => `Passt gut zu ${title}`,
      nextStep: 'Ein Vorschlag',
      why: 'Warum sehe ich das?',
      nextProducts: 'Vorgeschlagene Produkte',
      nextLink: 'Ansehen',
      newTab: '(öffnet in einem neuen Tab)',
      nextHandoff: 'Ja, mit einem Menschen sprechen',
      nextAdvisor: "Ja, los geht's",
      noThanks: 'Nein, danke',
      expired: 'Dieses Gespräch ist beendet. Hier ist ein neues.',
      network: 'Keine Verbindung zum Berater. Bitte versuche es noch einmal.',
      failed: 'Etwas ist schiefgelaufen. Bitte versuche es noch einmal.',
    },
  };

  const TIMEOUT_MS = 15000;
  const RETRY_AFTER_MS = 700;
  const script = document.currentScript;
  const instances = [];

  /** The primary language subtag of a locale tag: `de-AT` → `de`. */
  function language(tag) {
    return String(tag || '').trim().toLowerCase().split(/[-_]/)[0];
  }

  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === 'function') {
      return crypto.randomUUID();
    }
    // Outside a secure context (plain http on another host) randomUUID is missing.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function safeUrl(url) {
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null;
  }

  /** A plain JSON object (`{...}`), or null for anything else. */
  function plainObject(value) {
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  }

  /** `data-context`: a JSON object, or null (a malformed one is reported to the console, not sent). */
  function parseContext(text) {
    if (!text) return null;
    try {
      const value = plainObject(JSON.parse(text));
      if (value) return value;
    } catch {
      // Reported below.
    }
    if (window.console) console.warn('advisor widget: data-context is not a JSON object, not sent');
    return null;
  }

  /**
   * Puts a server text marked `format: "html"` (or a `why`) into `element`. The server's templates
   * escape every value: its text is safe as HTML.
   */
  function setHtml(element, text) {
    element.innerHTML = String(text || '');
    return element;
  }

  /** An element with classes, attributes and children; strings become text nodes. */
  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') element.className = value;
      else if (name === 'text') element.textContent = value;
      else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return element;
  }

  /** Web addresses, e-mail addresses and international phone numbers (`+…`) in a message. */
  const CONTACTS =
    /(https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)])|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})|(\+\d[\d ()-]{5,}\d)/g;

  /** Makes the addresses in `root`'s text clickable (a handoff message names the contact). */
  function linkify(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) {
      if (!walker.currentNode.parentElement.closest('a')) nodes.push(walker.currentNode);
    }
    for (const node of nodes) {
      const text = node.nodeValue;
      const matches = [...text.matchAll(CONTACTS)];
      if (!matches.length) continue;
      const fragment = document.createDocumentFragment();
      let last = 0;
      for (const match of matches) {
        const [whole, url, email] = match;
        const href = url || (email ? `mailto:${email}` : `tel:${whole.replace(/[^\d+]/g, '')}`);
        fragment.append(text.slice(last, match.index));
        fragment.append(
          h('a', {
            href,
            text: whole,
            target: url ? '_blank' : null,
            rel: url ? 'noopener noreferrer' : null,
          }),
        );
        last = match.index + whole.length;
      }
      fragment.append(text.slice(last));
      node.replaceWith(fragment);
    }
  }

  const storage = {
    get(key) {
      try {
        return window.sessionStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        if (value === null) window.sessionStorage.removeItem(key);
        else window.sessionStorage.setItem(key, value);
      } catch {
        // Storage refused (privacy mode): the conversation just does not survive a reload.
      }
    },
  };

  class Widget {
    constructor(options) {
      if (!options || !options.advisor) throw new Error('AdvisorWidget: `advisor` is required');
      // The page's advisor; a next step may move this widget on to another one (`switchTo`).
      this.home = String(options.advisor);
      const requested =
        options.locale || document.documentElement.lang || navigator.language || 'en';
      this.locale = language(requested) || 'en';
      this.t = STRINGS[this.locale] || STRINGS.en;
      this.api = String(options.api || window.location.origin).replace(/\/+$/, '');
      this.stylesheet = options.stylesheet || new URL('widget.css', this.api + '/').href;
      this.context = plainObject(options.context);
      this.optOut = options.optOut === true || navigator.globalPrivacyControl === true;
      this.homeKey = this.keyFor(this.home);
      // The advisor this tab moved on to, if any: a reload stays with it, a fresh tab starts at home.
      this.advisor = storage.get(`${this.homeKey}:advisor`) || this.home;
      this.key = this.keyFor(this.advisor);
      // Next steps reported (accepted or declined) in this page, `conversation step`.
      this.reported = new Set();
      this.reply = null;
      this.busy = false;
      this.selected = new Set();
      this.build();
      instances.push(this);
      if (storage.get(`${this.key}:open`) === '1') this.open(false);
    }

    /** Where the conversation id with `advisor` is kept in this tab. */
    keyFor(advisor) {
      return `advisor-widget:${this.api}:${advisor}:${this.locale}`;
    }

    build() {
      const t = this.t;
      this.host = h('advisor-widget', { 'data-advisor': this.home });
      // Hidden until the stylesheet is there, so the page never flashes unstyled buttons.
      this.host.style.visibility = 'hidden';
      const shadow = this.host.attachShadow({ mode: 'open' });
      const reveal = () => {
        this.host.style.visibility = '';
      };
      const link = h('link', { rel: 'stylesheet', href: this.stylesheet });
      link.addEventListener('load', reveal);
      link.addEventListener('error', reveal);
      this.launcher = h(
        'button',
        {
          type: 'button',
          class: 'aw-launcher',
          'aria-label': t.open,
          'aria-expanded': 'false',
          'aria-controls': 'aw-panel',
          'aria-haspopup': 'dialog',
          onclick: () => (this.isOpen() ? this.close() : this.open(true)),
        },
        h('span', { class: 'aw-launcher-icon', 'aria-hidden': 'true' }),
        h('span', { class: 'aw-launcher-text', text: t.launcher }),
      );
      this.title = h('h2', { class: 'aw-title', id: 'aw-title', tabindex: '-1', text: t.title });
      this.handoffButton = h('button', {
        type: 'button',
        class: 'aw-handoff',
        text: t.handoff,
        disabled: true,
        onclick: () => this.handoff(),
      });
      this.closeButton = h(
        'button',
        {
          type: 'button',
          class: 'aw-close',
          'aria-label': t.close,
          title: t.close,
          onclick: () => this.close(),
        },
        h('span', { 'aria-hidden': 'true', text: '×' }),
      );
      this.log = h('div', {
        class: 'aw-log',
        role: 'log',
        'aria-live': 'polite',
        'aria-relevant': 'additions',
        'aria-label': t.conversation,
        tabindex: '-1',
      });
      this.replies = h('div', { class: 'aw-replies' });
      this.status = h('p', { class: 'aw-status', role: 'alert' });
      this.text = h('input', {
        id: 'aw-text',
        class: 'aw-text',
        type: 'text',
        maxlength: '500',
        autocomplete: 'off',
        placeholder: t.placeholder,
        enterkeyhint: 'send',
      });
      // Always there, under the text box: a person can take over at any point.
      this.help = h('div', { class: 'aw-help' }, this.handoffButton);
      this.sendButton = h('button', { type: 'submit', class: 'aw-send', text: t.send });
      this.form = h(
        'form',
        { class: 'aw-form', onsubmit: (event) => this.submitText(event) },
        h('label', { class: 'aw-sr', for: 'aw-text', text: t.message }),
        this.text,
        this.sendButton,
      );
      this.panel = h(
        'section',
        {
          class: 'aw-panel',
          id: 'aw-panel',
          role: 'dialog',
          'aria-modal': 'false',
          'aria-labelledby': 'aw-title',
          hidden: true,
        },
        h(
          'header',
          { class: 'aw-header' },
          this.title,
          this.closeButton,
        ),
        this.log,
        this.status,
        this.form,
        this.help,
      );
      this.root = h(
        'div',
        { class: 'aw-root', lang: this.locale, 'data-state': 'closed' },
        this.launcher,
        this.panel,
      );
      this.root.addEventListener('keydown', (event) => {
        if (event.key === 'Escape' && this.isOpen()) {
          event.stopPropagation();
          this.close();
        }
      });
      shadow.append(link, this.root);
      document.body.append(this.host);
    }

    isOpen() {
      return !this.panel.hidden;
    }

    /** Opens the panel and starts or resumes the conversation; `focus`: move the focus into it. */
    open(focus = true) {
      if (this.isOpen()) return;
      this.panel.hidden = false;
      this.root.classList.add('aw-open');
      this.launcher.setAttribute('aria-expanded', 'true');
      storage.set(`${this.key}:open`, '1');
      this.focusNext = focus;
      if (focus) this.title.focus();
      if (!this.reply && !this.busy) this.resume();
      else if (focus) this.focusControls();
    }

    close() {
      if (!this.isOpen()) return;
      this.panel.hidden = true;
      this.root.classList.remove('aw-open');
      this.launcher.setAttribute('aria-expanded', 'false');
      storage.set(`${this.key}:open`, null);
      this.launcher.focus();
    }

    destroy() {
      this.host.remove();
      const index = instances.indexOf(this);
      if (index >= 0) instances.splice(index, 1);
    }

    // ---- talking to the API ----

    /** One request; a network failure (or no answer in time) is retried once with the same body. */
    async request(method, path, body) {
      const send = async () => {
        const abort = new AbortController();
        const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
        try {
          return await fetch(this.api + path, {
            method,
            headers: body
              ? { accept: 'application/json', 'content-type': 'application/json' }
              : { accept: 'application/json' },
            body: body ? JSON.stringify(body) : undefined,
            credentials: 'omit',
            signal: abort.signal,
          });
        } finally {
          clearTimeout(timer);
        }
      };
      let response;
      try {
        response = await send();
      } catch {
        await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS));
        response = await send();
      }
      let data = null;
      try {
        data = await response.json();
      } catch {
        data = null;
      }
      return { status: response.status, ok: response.ok, data };
    }

    async guarded(work) {
      if (this.busy) return;
      this.setBusy(true);
      this.showError(null);
      try {
        await work();
      } catch (error) {
        this.showError(this.t.network);
        if (window.console) console.warn('advisor widget:', error);
      } finally {
        this.setBusy(false);
      }
    }

    resume() {
      return this.guarded(async () => {
        if (!this.titleLoaded) this.loadTitle();
        const id = storage.get(this.key);
        if (id) {
          const answer = await this.request('GET', `/v1/conversations/${encodeURIComponent(id)}`);
          if (answer.ok && answer.data) {
            this.show(answer.data, null, true);
            return;
          }
          storage.set(this.key, null);
          if (answer.status !== 404) {
            this.problem(answer);
            return;
          }
        }
        await this.start();
      });
    }

    async start() {
      const body = { advisor: this.advisor, locale: this.locale };
      if (this.context) body.context = this.context;
      if (this.optOut) body.opt_out = true;
      let answer = await this.request('POST', '/v1/conversations', body);
      if (answer.data && answer.data.code === 'unsupported_locale') {
        // The advisor does not speak the page's language: let it choose its own.
        delete body.locale;
        answer = await this.request('POST', '/v1/conversations', body);
      }
      if (answer.data && answer.data.code === 'invalid_request' && body.context) {
        // The page's context has a field the API refuses: the advice works without it.
        if (window.console) console.warn('advisor widget: context refused:', answer.data.detail);
        delete body.context;
        answer = await this.request('POST', '/v1/conversations', body);
      }
      if (!answer.ok || !answer.data) {
        this.problem(answer);
        return;
      }
      storage.set(this.key, answer.data.conversation_id);
      this.show(answer.data, null, true);
    }

    async loadTitle() {
      try {
        const answer = await this.request('GET', '/v1/advisors');
        const advisors = (answer.data && answer.data.advisors) || [];
        const advisor = advisors.find((a) => a.id === this.advisor);
        if (advisor) {
          this.titleLoaded = true;
          this.title.textContent = (advisor.titles && advisor.titles[this.locale]) || advisor.title;
        }
      } catch {
        // The generic title stays.
      }
    }

    /** Posts one input; `said` is what the customer sees as their own message. */
    send(input, said) {
      return this.guarded(async () => {
        const reply = this.reply;
        if (!reply) return;
        const answer = await this.request(
          'POST',
          `/v1/conversations/${encodeURIComponent(reply.conversation_id)}/turns`,
          { input, expected_turn: reply.turn, client_message_id: uuid() },
        );
        if (answer.ok && answer.data) {
          this.show(answer.data, said, false);
          return;
        }
        const problem = answer.data || {};
        if (problem.code === 'turn_conflict' && problem.current_reply) {
          // Another tab moved on: show where the conversation is now.
          this.show(problem.current_reply, null, false);
          this.problem(answer);
          return;
        }
        if (problem.code === 'conversation_not_found') {
          storage.set(this.key, null);
          this.reply = null;
          await this.start();
          this.showError(this.t.expired);
          return;
        }
        this.problem(answer);
      });
    }

    handoff() {
      const offered = this.reply && (this.reply.actions || []).find((a) => a.name === 'handoff');
      this.send(offered ? offered.input : { type: 'action', name: 'handoff' }, this.t.handoff);
    }

    submitText(event) {
      event.preventDefault();
      const text = this.text.value.trim();
      if (!text || this.busy) return;
      this.typing = true;
      this.send({ type: 'text', text }, text).then(() => {
        if (!this.status.textContent) this.text.value = '';
      });
    }

    newConversation() {
      storage.set(this.key, null);
      this.reply = null;
      this.log.replaceChildren();
      this.resume();
    }

    /**
     * Talks to `advisor` from now on, in this widget: its conversation in this tab, or a new one
     * (`fresh`: always a new one). A reload in this tab stays with it.
     */
    switchTo(advisor, fresh = false) {
      const id = String(advisor || '');
      if (!id) return;
      this.advisor = id;
      if (this.isOpen()) {
        // A reload reopens the panel with the advisor it shows.
        storage.set(`${this.key}:open`, null);
        storage.set(`${this.keyFor(id)}:open`, '1');
      }
      this.key = this.keyFor(id);
      storage.set(`${this.homeKey}:advisor`, id === this.home ? null : id);
      if (fresh) storage.set(this.key, null);
      this.reply = null;
      this.titleLoaded = false;
      this.title.textContent = this.t.title;
      this.log.replaceChildren();
      this.showError(null);
      this.handoffButton.disabled = true;
      if (this.isOpen()) {
        this.focusNext = true;
        this.title.focus();
        this.resume();
      }
    }

    /**
     * Tells the advisor what the customer did (`POST …/events`): fire and forget, never retried,
     * never shown; `keepalive` lets it finish while a product link navigates away.
     */
    report(event) {
      const reply = this.reply;
      if (!reply || !reply.conversation_id) return;
      try {
        fetch(`${this.api}/v1/conversations/${encodeURIComponent(reply.conversation_id)}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
          credentials: 'omit',
          keepalive: true,
        }).catch(() => {});
      } catch {
        // No feedback is worth an error in the chat.
      }
    }

    /** Reports a next step accepted or declined, once. */
    answerStep(step, accepted) {
      const key = `${this.reply && this.reply.conversation_id} ${step.id}`;
      if (this.reported.has(key)) return;
      this.reported.add(key);
      this.report({ type: accepted ? 'next_step_accepted' : 'next_step_rejected', step: step.id });
    }

    // ---- rendering ----

    setBusy(busy) {
      this.busy = busy;
      this.log.setAttribute('aria-busy', String(busy));
      this.root.classList.toggle('aw-busy', busy);
      for (const button of this.panel.querySelectorAll('.aw-replies button, .aw-next button, .aw-send')) {
        button.disabled = busy || button.dataset.disabled === 'true';
      }
      this.handoffButton.disabled = busy || !this.reply || this.handedOff();
      if (busy) {
        this.indicator = h(
          'div',
          { class: 'aw-typing', role: 'status', 'aria-label': this.t.typing },
          h('span'),
          h('span'),
          h('span'),
        );
        this.log.append(this.indicator);
        this.scrollTo(this.indicator);
      } else if (this.indicator) {
        this.indicator.remove();
        this.indicator = null;
      }
    }

    handedOff() {
      return Boolean(this.reply && this.reply.state === 'handed_off');
    }

    problem(answer) {
      const detail = answer && answer.data && (answer.data.detail || answer.data.title);
      this.showError(detail || this.t.failed);
    }

    showError(text) {
      this.status.textContent = text || '';
      this.status.hidden = !text;
    }

    /** Shows a reply: the customer's own message, the advisor's messages, then what to do next. */
    show(reply, said, fresh) {
      this.reply = reply;
      this.selected = new Set();
      this.root.dataset.state = reply.state || 'awaiting_input';
      this.replies.remove();
      const turn = h('div', { class: 'aw-turn', 'data-turn': reply.turn });
      if (said) {
        turn.append(
          h(
            'div',
            { class: 'aw-message aw-user' },
            h('span', { class: 'aw-sr', text: this.t.you }),
            ' ',
            said,
          ),
        );
      }
      for (const message of reply.messages || []) {
        if (message.type === 'text') {
          const bubble = h('div', { class: 'aw-message aw-bot' });
          if (message.format === 'html') setHtml(bubble, message.text);
          else bubble.textContent = message.text;
          linkify(bubble);
          turn.append(bubble);
        } else if (message.type === 'products') {
          turn.append(this.products(message.items || []));
        }
      }
      const step = reply.next_step;
      if (step && !this.handedOff() && !this.reported.has(`${reply.conversation_id} ${step.id}`)) {
        turn.append(this.nextStep(step));
      }
      if (this.handedOff()) {
        turn.append(h('p', { class: 'aw-handed-off-note', text: this.t.handedOff }));
      }
      if (fresh) this.log.replaceChildren();
      // One proposal at a time: the newest reply's.
      for (const box of this.log.querySelectorAll('.aw-next')) box.remove();
      // Products of earlier replies are no longer on the shortlist: only the newest can be refined.
      for (const button of this.log.querySelectorAll('.aw-card-actions button')) {
        button.disabled = true;
      }
      this.log.append(turn);
      this.replies = this.controls(reply);
      this.log.append(this.replies);
      this.form.hidden = this.handedOff();
      this.help.hidden = this.handedOff();
      this.handoffButton.disabled = !this.reply || this.handedOff();
      this.scrollTo(said ? turn : turn.firstElementChild || turn);
      if (this.isOpen() && (this.focusNext || !fresh)) {
        this.focusControls();
      }
      this.focusNext = false;
    }

    products(items) {
      const list = h('ul', { class: 'aw-cards' });
      for (const item of items) {
        const url = safeUrl(item.url);
        const title = url
          ? this.productLink(item.id, url, { class: 'aw-card-title', text: item.title })
          : h('span', { class: 'aw-card-title', text: item.title });
        const card = h(
          'li',
          { class: item.misses && item.misses.length ? 'aw-card aw-alternative' : 'aw-card', 'data-product': item.id },
          this.picture('aw-card-image', item),
          h(
            'div',
            { class: 'aw-card-body' },
            h('h3', { class: 'aw-card-heading' }, title),
            item.price ? h('p', { class: 'aw-price', text: this.price(item.price) }) : null,
            item.reasons && item.reasons.length
              ? h(
                  'ul',
                  { class: 'aw-reasons', 'aria-label': this.t.reasons },
                  item.reasons.map((reason) => h('li', { text: reason })),
                )
              : null,
            item.misses && item.misses.length
              ? h(
                  'p',
                  { class: 'aw-misses' },
                  h('span', { class: 'aw-misses-label', text: this.t.misses }),
                  ' ',
                  item.misses.join(', '),
                )
              : null,
            h(
              'div',
              { class: 'aw-card-actions' },
              (item.actions || []).map((action) =>
                h('button', {
                  type: 'button',
                  class: 'aw-chip aw-small',
                  'data-action': action.name,
                  text: action.label,
                  'aria-label': `${action.label}: ${item.title}`,
                  onclick: () => this.send(action.input, `${action.label}: ${item.title}`),
                }),
              ),
              url
                ? this.productLink(item.id, url, {
                    class: 'aw-view',
                    text: this.t.view,
                    'aria-label': `${this.t.view}: ${item.title}`,
                  })
                : null,
            ),
          ),
          this.companions(item),
        );
        list.append(card);
      }
      return list;
    }

    /** A product's image over its initial (which shows while it loads, or when it fails). */
    picture(className, item) {
      const picture = h('div', { class: className, 'aria-hidden': 'true' });
      picture.append(h('span', { class: 'aw-card-initial', text: (item.title || '?').charAt(0) }));
      const image = safeUrl(item.image_url);
      if (image) {
        const img = h('img', { src: image, alt: '', loading: 'lazy', decoding: 'async' });
        img.addEventListener('error', () => img.remove());
        picture.append(img);
      }
      return picture;
    }

    /** A link to a product page in a new tab; opening it is reported as `product_clicked`. */
    productLink(productId, url, attributes, onOpen) {
      const opened = () => {
        this.report({ type: 'product_clicked', product_id: productId });
        if (onOpen) onOpen();
      };
      return h('a', {
        ...attributes,
        href: url,
        target: '_blank',
        rel: 'noopener noreferrer',
        onclick: opened,
        // A middle click opens the link too.
        onauxclick: (event) => {
          if (event.button === 1) opened();
        },
      });
    }

    /** The "goes well with" row under a shortlisted product, or nothing. */
    companions(item) {
      const pairs = item.goes_well_with || [];
      if (!pairs.length) return null;
      const label = this.t.goesWellWithItem(item.title);
      return h(
        'div',
        { class: 'aw-pairs' },
        h('p', { class: 'aw-pairs-title', 'aria-hidden': 'true', text: this.t.goesWellWith }),
        h(
          'ul',
          { class: 'aw-pairs-list', 'aria-label': label },
          pairs.map((pair) => {
            const url = safeUrl(pair.url);
            return h(
              'li',
              { class: 'aw-pair', 'data-product': pair.id },
              this.picture('aw-pair-image', pair),
              h(
                'div',
                { class: 'aw-pair-body' },
                url
                  ? this.productLink(pair.id, url, { class: 'aw-pair-title', text: pair.title })
                  : h('span', { class: 'aw-pair-title', text: pair.title }),
                pair.price ? h('span', { class: 'aw-pair-price', text: this.price(pair.price) }) : null,
                pair.why ? setHtml(h('span', { class: 'aw-pair-why' }), pair.why) : null,
              ),
            );
          }),
        ),
      );
    }

    /** The proposal after the shortlist: its text, why, what accepting does, and "No thanks". */
    nextStep(step) {
      const t = this.t;
      const accept = () => this.answerStep(step, true);
      const box = h('div', {
        class: 'aw-next',
        role: 'group',
        'aria-label': t.nextStep,
        'data-step': step.id,
        'data-kind': step.kind,
      });
      box.append(h('p', { class: 'aw-next-text', text: step.text }));
      const products = step.kind === 'products' ? step.products || [] : [];
      if (products.length) {
        box.append(
          h(
            'ul',
            { class: 'aw-next-products', 'aria-label': t.nextProducts },
            products.map((product) => {
              const url = safeUrl(product.url);
              return h(
                'li',
                { class: 'aw-next-product', 'data-product': product.id },
                this.picture('aw-pair-image', product),
                h(
                  'div',
                  { class: 'aw-pair-body' },
                  url
                    ? this.productLink(product.id, url, { class: 'aw-pair-title', text: product.title }, accept)
                    : h('span', { class: 'aw-pair-title', text: product.title }),
                  product.price ? h('span', { class: 'aw-pair-price', text: this.price(product.price) }) : null,
                ),
              );
            }),
          ),
        );
      }
      const actions = h('div', { class: 'aw-next-actions' });
      const url = safeUrl(step.url);
      if (step.kind === 'link' && url) {
        actions.append(
          h('a', {
            class: 'aw-next-go',
            href: url,
            target: '_blank',
            rel: 'noopener noreferrer',
            text: t.nextLink,
            'aria-label': `${t.nextLink} ${t.newTab}`,
            onclick: accept,
            onauxclick: (event) => {
              if (event.button === 1) accept();
            },
          }),
        );
      } else if (step.kind === 'handoff') {
        actions.append(
          h('button', {
            type: 'button',
            class: 'aw-next-go',
            text: t.nextHandoff,
            onclick: () => {
              accept();
              this.send(step.input || { type: 'action', name: 'handoff' }, t.nextHandoff);
            },
          }),
        );
      } else if (step.kind === 'advisor' && step.advisor) {
        actions.append(
          h('button', {
            type: 'button',
            class: 'aw-next-go',
            'data-advisor': step.advisor,
            text: t.nextAdvisor,
            onclick: () => {
              accept();
              this.switchTo(step.advisor, true);
            },
          }),
        );
      }
      actions.append(
        h('button', {
          type: 'button',
          class: 'aw-next-no',
          text: t.noThanks,
          onclick: () => {
            this.answerStep(step, false);
            box.hidden = true;
            this.focusControls();
          },
        }),
      );
      box.append(actions);
      box.append(
        h(
          'details',
          { class: 'aw-next-why' },
          h('summary', { text: t.why }),
          setHtml(h('p', { class: 'aw-next-why-text' }), step.why),
        ),
      );
      return box;
    }

    price(price) {
      try {
        return new Intl.NumberFormat(this.locale, { style: 'currency', currency: price.currency }).format(
          price.amount,
        );
      } catch {
        return `${Number(price.amount).toFixed(2)} ${price.currency}`;
      }
    }

    /** The question's options, the confirm button of a multiple choice, and the reply's actions. */
    controls(reply) {
      const block = h('div', { class: 'aw-replies' });
      const input = !this.handedOff() && reply.input;
      if (input && input.options && input.options.length) {
        const multiple = input.kind === 'multiple';
        const options = h('div', { class: 'aw-options', role: 'group', 'aria-label': this.question(reply) });
        const confirm = multiple
          ? h('button', {
              type: 'button',
              class: 'aw-confirm',
              text: this.t.confirm,
              'data-disabled': 'true',
              disabled: true,
              onclick: () => {
                const chosen = input.options.filter((o) => this.selected.has(o.value));
                if (!chosen.length) return;
                this.send(
                  { type: 'answer', question_id: input.question_id, values: chosen.map((o) => o.value) },
                  chosen.map((o) => o.label).join(', '),
                );
              },
            })
          : null;
        const buttons = [];
        for (const option of input.options) {
          const button = h(
            'button',
            {
              type: 'button',
              class: 'aw-chip aw-option',
              'data-value': option.value,
              'data-no-preference': option.no_preference ? 'true' : null,
              'aria-pressed': multiple ? 'false' : null,
              'aria-label': `${option.label} (${this.t.products(option.count)})`,
            },
            h('span', { class: 'aw-option-label', text: option.label }),
            h('span', { class: 'aw-count', 'aria-hidden': 'true', text: String(option.count) }),
          );
          button.addEventListener('click', () => {
            if (!multiple) {
              this.send({ type: 'answer', question_id: input.question_id, values: [option.value] }, option.label);
              return;
            }
            if (this.selected.has(option.value)) this.selected.delete(option.value);
            else if (option.no_preference) this.selected = new Set([option.value]);
            else {
              // "No preference" is never combined with an actual wish.
              for (const other of input.options) if (other.no_preference) this.selected.delete(other.value);
              this.selected.add(option.value);
            }
            for (const [i, other] of input.options.entries()) {
              buttons[i].setAttribute('aria-pressed', String(this.selected.has(other.value)));
            }
            confirm.dataset.disabled = String(this.selected.size === 0);
            confirm.disabled = this.busy || this.selected.size === 0;
          });
          buttons.push(button);
          options.append(button);
        }
        block.append(options);
        if (confirm) block.append(confirm);
      }
      const actions = (reply.actions || []).filter((action) => action.name !== 'handoff');
      if (actions.length) {
        block.append(
          h(
            'div',
            { class: 'aw-actions' },
            actions.map((action) =>
              h('button', {
                type: 'button',
                class: 'aw-chip aw-action',
                'data-action': action.name,
                text: action.label,
                onclick: () => this.send(action.input, action.label),
              }),
            ),
          ),
        );
      }
      if (this.handedOff() && !actions.some((action) => action.name === 'restart')) {
        block.append(
          h('button', {
            type: 'button',
            class: 'aw-chip aw-action',
            'data-action': 'new',
            text: this.t.newConversation,
            onclick: () => this.newConversation(),
          }),
        );
      }
      return block;
    }

    /** The question's own words (the last text message), to label its options. */
    question(reply) {
      const texts = (reply.messages || []).filter((m) => m.type === 'text');
      const last = texts[texts.length - 1];
      if (!last) return '';
      // A template's content is inert: nothing in it loads or runs.
      const scratch = document.createElement('template');
      scratch.innerHTML = last.text;
      return scratch.content.textContent || '';
    }

    focusControls() {
      if (this.typing) {
        this.typing = false;
        if (!this.form.hidden) {
          this.text.focus();
          return;
        }
      }
      const first = this.replies.querySelector('button:not([disabled]), button[data-disabled="false"]');
      if (first) first.focus({ preventScroll: true });
      else if (!this.form.hidden) this.text.focus({ preventScroll: true });
      else this.title.focus();
    }

    /** Scrolls the log so `element` starts at its top, or to the end when everything fits. */
    scrollTo(element) {
      const log = this.log;
      const top = element.offsetTop - 8;
      const end = log.scrollHeight - log.clientHeight;
      log.scrollTop = Math.min(top, end);
      if (log.scrollHeight - top <= log.clientHeight) log.scrollTop = end;
    }
  }

  function mount(options) {
    return new Widget(options);
  }

  window.AdvisorWidget = { mount, instances, version: '1' };

  if (script && script.dataset.advisor) {
    const options = {
      advisor: script.dataset.advisor,
      locale: script.dataset.locale,
      api: script.dataset.api || new URL(script.src, window.location.href).origin,
      stylesheet: new URL('widget.css', script.src).href,
      context: parseContext(script.dataset.context),
      optOut: script.dataset.optOut !== undefined && script.dataset.optOut !== 'false',
    };
    const go = () => mount(options);
    if (document.body) go();
    else document.addEventListener('DOMContentLoaded', go, { once: true });
  }
})();
