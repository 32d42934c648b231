// tiklive demo dashboard: plain modern JS, no build step, no framework.
//
// The server sends one `snapshot` (everything) when the page connects or a new stream starts,
// then a `batch` of changes every 100 ms over server-sent events (/events). Batches are folded
// into a small model as they arrive; the DOM is touched at most once per animation frame, and
// every list is capped, so the page stays smooth at hundreds of events per second.
//
// Security: nicknames, comments and every other text come from strangers. They only ever reach
// the DOM through textContent / text nodes (never innerHTML), and picture URLs must be https.

const MAX_CHAT = 200;
const MAX_GIFTS = 30;
const MAX_ACTIVITY = 40;
const SVG_NS = "http://www.w3.org/2000/svg";

const $ = (id) => document.getElementById(id);
const numberFormat = new Intl.NumberFormat("en-US");
const compactFormat = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

// ------------------------------------------------------------------ model

const model = {
  seq: 0,
  images: false,
  stream: null,
  connection: null,
  counters: null,
  viewers: [],
  topGifters: [],
  gifterCount: 0,
  battle: null,
  pinned: null,
  gifts: new Map(), // key -> row, in the order the page shows them (newest last)
};

// What the next frame must draw.
const pending = {
  full: true,
  chat: [],
  removedChat: new Set(),
  gifts: new Map(),
  /** Redraw the whole gift list (too many changes piled up, e.g. in a background tab). */
  giftsFull: false,
  activity: [],
  counters: true,
  chart: true,
  top: true,
  battle: true,
  connection: true,
  stream: true,
  pinned: true,
};
let frameRequested = false;
let serverLost = false;

function capPush(list, items, max) {
  for (const item of items) list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

function applySnapshot(snap) {
  model.seq = snap.seq;
  model.images = snap.images === true;
  model.stream = snap.stream;
  model.connection = snap.connection;
  model.counters = snap.counters;
  model.viewers = snap.viewers.slice();
  model.topGifters = snap.topGifters;
  model.gifterCount = snap.gifterCount;
  model.battle = snap.battle;
  model.pinned = snap.pinned;
  model.gifts = new Map();
  for (const row of snap.gifts.slice(-MAX_GIFTS)) model.gifts.set(row.key, row);
  pending.full = true;
  pending.chat = snap.chat.slice(-MAX_CHAT);
  pending.removedChat.clear();
  pending.gifts.clear();
  pending.activity = snap.activity.slice(-MAX_ACTIVITY);
  for (const key of ["counters", "chart", "top", "battle", "connection", "stream", "pinned"])
    pending[key] = true;
}

function applyBatch(batch) {
  if (batch.seq <= model.seq) return; // already in a snapshot
  model.seq = batch.seq;
  if (batch.chat) capPush(pending.chat, batch.chat, MAX_CHAT);
  if (batch.removedChat) {
    const gone = new Set(batch.removedChat);
    pending.chat = pending.chat.filter((line) => !gone.has(line.id));
    for (const id of gone) pending.removedChat.add(id);
  }
  if (batch.gifts) {
    for (const row of batch.gifts) {
      model.gifts.delete(row.key);
      model.gifts.set(row.key, row);
      pending.gifts.set(row.key, row);
    }
    if (pending.gifts.size > MAX_GIFTS * 4) {
      pending.gifts.clear();
      pending.giftsFull = true;
    }
    while (model.gifts.size > MAX_GIFTS * 2) model.gifts.delete(model.gifts.keys().next().value);
  }
  if (batch.activity) capPush(pending.activity, batch.activity, MAX_ACTIVITY);
  if (batch.viewers) {
    for (const point of batch.viewers) {
      const last = model.viewers[model.viewers.length - 1];
      if (last && last[0] === point[0]) model.viewers[model.viewers.length - 1] = point;
      else if (!last || point[0] > last[0]) model.viewers.push(point);
    }
    if (model.viewers.length > 3600) model.viewers.splice(0, model.viewers.length - 3600);
    pending.chart = true;
  }
  if (batch.counters) {
    model.counters = batch.counters;
    pending.counters = true;
  }
  if (batch.topGifters) {
    model.topGifters = batch.topGifters;
    model.gifterCount = batch.gifterCount ?? model.gifterCount;
    pending.top = true;
  }
  if ("battle" in batch) {
    model.battle = batch.battle;
    pending.battle = true;
  }
  if ("pinned" in batch) {
    model.pinned = batch.pinned;
    pending.pinned = true;
  }
  if (batch.connection) {
    model.connection = batch.connection;
    pending.connection = true;
  }
  if (batch.stream) {
    model.stream = batch.stream;
    pending.stream = true;
  }
}

function schedule() {
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(render);
}

// ------------------------------------------------------------------ DOM helpers

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function icon(name, className) {
  const svg = document.createElementNS(SVG_NS, "svg");
  if (className) svg.setAttribute("class", className);
  svg.setAttribute("aria-hidden", "true");
  const use = document.createElementNS(SVG_NS, "use");
  use.setAttribute("href", `#i-${name}`);
  svg.append(use);
  return svg;
}

function svgEl(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function hueOf(text) {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return Math.abs(hash) % 360;
}

function safeImage(url) {
  if (typeof url !== "string") return null;
  try {
    return new URL(url).protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

function initial(user) {
  for (const source of [user.nickname, user.uniqueId]) {
    const match = /[\p{L}\p{N}]/u.exec(source || "");
    if (match) return match[0].toUpperCase();
  }
  return "?";
}

function avatar(user, size) {
  const node = el("span", `avatar${size ? ` avatar-${size}` : ""}`, initial(user));
  node.style.setProperty("--h", String(hueOf(user.id || user.uniqueId || "")));
  const url = model.images ? safeImage(user.avatar) : null;
  if (url) {
    const img = document.createElement("img");
    img.alt = "";
    img.loading = "lazy";
    img.decoding = "async";
    img.referrerPolicy = "no-referrer";
    img.addEventListener("error", () => img.remove(), { once: true });
    img.src = url;
    node.append(img);
  }
  return node;
}

function badges(user) {
  const out = [];
  if (user.top) {
    const b = el("span", "badge badge-top");
    b.append(icon("crown"), document.createTextNode(`#${user.top}`));
    b.title = `Top gifter #${user.top}`;
    out.push(b);
  }
  if (user.mod) {
    const b = el("span", "badge badge-mod");
    b.append(icon("shield"), document.createTextNode("MOD"));
    b.title = "Moderator";
    out.push(b);
  }
  if (user.sub) {
    const b = el("span", "badge badge-sub");
    b.append(icon("star"), document.createTextNode("SUB"));
    b.title = "Subscriber";
    out.push(b);
  }
  if (user.gifter) {
    const tier = user.gifter >= 30 ? 3 : user.gifter >= 15 ? 2 : 1;
    const b = el("span", `badge badge-gifter lvl-${tier}`);
    b.append(icon("diamond"), document.createTextNode(String(user.gifter)));
    b.title = `Gifter level ${user.gifter}`;
    out.push(b);
  }
  if (user.fan) {
    const b = el("span", "badge badge-fan");
    b.append(icon("heart"), document.createTextNode(String(user.fan)));
    b.title = `Fan club level ${user.fan}`;
    out.push(b);
  }
  return out;
}

// Comment text with @mentions highlighted, built from text nodes only.
function commentNodes(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(/@[\w.]{2,24}/gu)) {
    if (match.index > last) nodes.push(document.createTextNode(text.slice(last, match.index)));
    nodes.push(el("span", "mention", match[0]));
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(document.createTextNode(text.slice(last)));
  return nodes;
}

function clock(t) {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}:${String(d.getSeconds()).padStart(2, "0")}`;
}

function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

function setNumber(node, value, compact) {
  const v = Number(value) || 0;
  if (node.dataset.value === String(v) && node.textContent !== "") return;
  node.dataset.value = String(v);
  node.textContent = compact && v >= 100000 ? compactFormat.format(v) : numberFormat.format(v);
  node.title = numberFormat.format(v);
}

// ------------------------------------------------------------------ chat

const chatBox = $("chat");
const chatResume = $("chat-resume");
// Follow new lines unless the user scrolled up. Only scrolls that follow the user's own input
// count: the page's own scrolling and layout changes (the pinned bar) never stop following.
let chatFollows = true;
let chatGrew = false;
let chatUserInputAt = -Infinity;
for (const type of ["wheel", "touchmove", "keydown", "pointerdown"]) {
  chatBox.addEventListener(type, () => (chatUserInputAt = performance.now()), { passive: true });
}
chatBox.addEventListener("scroll", () => {
  if (performance.now() - chatUserInputAt > 1000) return;
  chatFollows = chatBox.scrollTop + chatBox.clientHeight >= chatBox.scrollHeight - 60;
  chatResume.hidden = chatFollows;
});
chatResume.addEventListener("click", () => {
  chatFollows = true;
  chatResume.hidden = true;
  chatBox.scrollTop = chatBox.scrollHeight;
});

function chatLine(line) {
  const row = el("div", `chat-line is-${line.kind}`);
  row.dataset.id = line.id;
  const content = el("div", "chat-content");
  if (line.user) {
    row.style.setProperty("--h", String(hueOf(line.user.id || line.user.uniqueId || "")));
    row.append(avatar(line.user));
    for (const badge of badges(line.user)) content.append(badge);
    const name = el("span", "chat-name", line.user.nickname || line.user.uniqueId);
    name.title = `@${line.user.uniqueId}`;
    content.append(name);
  } else {
    const mark = el("span", "avatar avatar-system");
    mark.append(icon("flag"));
    row.append(mark);
  }
  const text = el("span", "chat-text");
  text.append(...commentNodes(line.text));
  content.append(text);
  row.append(content);
  return row;
}

function renderChat() {
  if (pending.full) {
    chatBox.replaceChildren();
    chatFollows = true;
    chatResume.hidden = true;
    chatGrew = true;
  }
  for (const id of pending.removedChat) {
    for (const node of chatBox.querySelectorAll(".chat-line")) if (node.dataset.id === id) node.remove();
  }
  pending.removedChat.clear();
  if (pending.chat.length > 0) {
    const fragment = document.createDocumentFragment();
    for (const line of pending.chat) fragment.append(chatLine(line));
    pending.chat = [];
    chatBox.append(fragment);
    let extra = chatBox.childElementCount - MAX_CHAT;
    while (extra-- > 0) chatBox.firstElementChild.remove();
    chatGrew = true;
  }
}

// Reading scrollHeight forces a layout: done once, after every other DOM write of the frame.
function followChat() {
  if (chatGrew && chatFollows) chatBox.scrollTop = chatBox.scrollHeight;
  chatGrew = false;
}

function renderPinned() {
  const box = $("pinned");
  const line = model.pinned;
  box.hidden = !line;
  if (!line) return;
  const body = $("pinned-body");
  body.replaceChildren();
  if (line.user) body.append(el("b", "chat-name", line.user.nickname || line.user.uniqueId));
  body.append(...commentNodes(line.text));
}

// ------------------------------------------------------------------ gifts

const giftBox = $("gifts");
const giftNodes = new Map(); // key -> row element, for in-place updates

function tierOf(unit) {
  return unit >= 1000 ? 4 : unit >= 100 ? 3 : unit >= 20 ? 2 : 1;
}

// The simulator's gifts have no pictures we can load: an icon that fits the name instead.
function giftIconName(name, unit) {
  if (/rose|flower|tulip/i.test(name)) return "flower";
  if (/heart/i.test(name)) return "heart";
  if (/galaxy|star|universe|planet/i.test(name)) return "star";
  if (unit >= 1000) return "crown";
  return "gift";
}

function giftRow(row) {
  const node = el("div", "gift-row");
  node.dataset.key = row.key;
  giftNodes.set(row.key, node);
  const iconBox = el("span", `gift-icon tier-${tierOf(row.unit)}`);
  iconBox.append(icon(giftIconName(row.giftName, row.unit)));
  const url = model.images ? safeImage(row.image) : null;
  if (url) {
    const img = document.createElement("img");
    img.alt = "";
    img.loading = "lazy";
    img.referrerPolicy = "no-referrer";
    img.addEventListener("error", () => img.remove(), { once: true });
    img.src = url;
    iconBox.append(img);
  }
  const main = el("div", "gift-main");
  const title = el("div", "gift-title");
  title.append(
    el("span", "who", row.user.nickname || row.user.uniqueId),
    el("span", "what", " sent "),
    el("span", "gift-name", row.giftName),
  );
  const sub = el("div", "gift-sub");
  main.append(title, sub);
  const count = el("div", "gift-count");
  node.append(avatar(row.user), iconBox, main, count);
  updateGiftRow(node, row);
  return node;
}

function updateGiftRow(node, row) {
  node.classList.toggle("is-streaking", !row.done && row.streaking);
  node.classList.toggle("is-done", row.done);
  node.dataset.done = row.done ? "1" : "0";
  node.dataset.diamonds = String(row.diamonds);
  const count = node.querySelector(".gift-count");
  const text = `x${row.count}`;
  if (count.textContent !== text) {
    const grew = count.textContent !== "";
    count.textContent = text;
    if (grew && typeof count.animate === "function") {
      count.animate([{ transform: "scale(1.25)" }, { transform: "scale(1)" }], {
        duration: 260,
        easing: "ease-out",
      });
    }
  }
  const sub = node.querySelector(".gift-sub");
  sub.replaceChildren();
  if (row.done) {
    sub.append(
      el("span", "done-pill", "counted"),
      icon("diamond"),
      document.createTextNode(`${numberFormat.format(row.diamonds)} diamonds`),
    );
  } else if (row.streaking) {
    sub.append(
      el("span", "streak-pill", "streak running"),
      icon("diamond"),
      document.createTextNode(`${numberFormat.format(row.unit)} each`),
    );
  } else {
    sub.append(icon("diamond"), document.createTextNode(`${numberFormat.format(row.unit)} each`));
  }
}

function renderGifts() {
  giftBox.querySelector(".empty-note")?.remove();
  if (pending.full || pending.giftsFull) {
    pending.giftsFull = false;
    giftBox.replaceChildren();
    giftNodes.clear();
    for (const row of [...model.gifts.values()].slice(-MAX_GIFTS).reverse()) giftBox.append(giftRow(row));
  } else if (pending.gifts.size > 0) {
    const fresh = [];
    for (const row of pending.gifts.values()) {
      const existing = giftNodes.get(row.key);
      if (existing)
        updateGiftRow(existing, row); // a growing streak: same row, new count
      else fresh.push(row);
    }
    const fragment = document.createDocumentFragment();
    for (const row of fresh.reverse()) fragment.append(giftRow(row));
    giftBox.prepend(fragment);
    let extra = giftBox.childElementCount - MAX_GIFTS;
    while (extra-- > 0) {
      const last = giftBox.lastElementChild;
      giftNodes.delete(last.dataset.key);
      last.remove();
    }
  }
  pending.gifts.clear();
  if (giftBox.childElementCount === 0) giftBox.append(el("div", "empty-note", "No gifts yet."));
}

// ------------------------------------------------------------------ activity

const activityBox = $("activity");
const activityIcons = {
  follow: "follow",
  share: "share",
  subscribe: "star",
  question: "question",
  envelope: "chest",
  poll: "poll",
  goal: "flag",
  battle: "swords",
  stream: "flag",
  connection: "plug",
};

function activityItem(item) {
  const node = el("div", `act act-${item.kind}`);
  node.append(icon(activityIcons[item.kind] || "bolt", "act-icon"));
  const text = el("div", "act-text");
  if (item.user)
    text.append(el("b", null, item.user.nickname || item.user.uniqueId), document.createTextNode(" "));
  text.append(document.createTextNode(item.text));
  node.append(text, el("span", "act-time", clock(item.t)));
  return node;
}

function renderActivity() {
  if (pending.full) activityBox.replaceChildren();
  if (pending.activity.length > 0) {
    const fragment = document.createDocumentFragment();
    for (const item of pending.activity.slice().reverse()) fragment.append(activityItem(item));
    pending.activity = [];
    activityBox.prepend(fragment);
    let extra = activityBox.childElementCount - MAX_ACTIVITY;
    while (extra-- > 0) activityBox.lastElementChild.remove();
  }
  activityBox.querySelector(".empty-note")?.remove();
  if (activityBox.childElementCount === 0)
    activityBox.append(el("div", "empty-note", "Follows, shares, subscriptions and more show up here."));
}

// ------------------------------------------------------------------ counters, top gifters, battle

function renderCounters() {
  const c = model.counters;
  if (!c) return;
  setNumber($("kpi-viewers"), c.viewers, true);
  $("kpi-viewers-sub").textContent = `peak ${numberFormat.format(c.peakViewers)}`;
  setNumber($("kpi-likes"), c.likes, true);
  setNumber($("kpi-diamonds"), c.diamonds, true);
  $("kpi-gifts-sub").textContent = `${numberFormat.format(c.gifts)} gift${c.gifts === 1 ? "" : "s"}`;
  setNumber($("kpi-follows"), c.follows);
  setNumber($("kpi-shares"), c.shares);
  setNumber($("kpi-joins"), c.joins, true);
  $("kpi-total-sub").textContent = `${compactFormat.format(c.totalViewers)} total`;
  setNumber($("kpi-chats"), c.chats, true);
  setNumber($("kpi-eps"), c.eventsPerSecond);
  $("kpi-events-sub").textContent = `${numberFormat.format(c.events)} events`;
}

function renderTop() {
  const list = $("top-gifters");
  list.replaceChildren();
  const top = model.topGifters;
  $("top-note").textContent =
    `${numberFormat.format(model.gifterCount)} gifter${model.gifterCount === 1 ? "" : "s"}`;
  if (top.length === 0) {
    list.append(el("li", "top-empty", "Nobody has sent a gift yet."));
    return;
  }
  const best = top[0].diamonds || 1;
  top.forEach((gifter, i) => {
    const item = el("li");
    item.dataset.userId = gifter.user.id;
    item.dataset.diamonds = String(gifter.diamonds);
    const who = el("div", "top-who");
    const name = el("span", "top-name", gifter.user.nickname || gifter.user.uniqueId);
    name.title = `@${gifter.user.uniqueId} · ${gifter.gifts} gifts`;
    const meter = el("span", "top-meter");
    const fill = el("span");
    fill.style.width = `${Math.max(2, (gifter.diamonds / best) * 100)}%`;
    meter.append(fill);
    who.append(name, meter);
    const diamonds = el("span", "top-diamonds");
    diamonds.append(icon("diamond"), document.createTextNode(numberFormat.format(gifter.diamonds)));
    item.append(el("span", "top-rank", String(i + 1)), avatar(gifter.user, "sm"), who, diamonds);
    list.append(item);
  });
}

function battleSide(side, where) {
  const node = el("div", `battle-side ${where}`);
  node.append(
    avatar({ id: side.userId, uniqueId: side.uniqueId, nickname: side.nickname, avatar: side.avatar }),
  );
  const text = el("div");
  text.append(el("div", "battle-name", side.nickname));
  const points = el("div", "battle-points", numberFormat.format(side.points));
  points.dataset.value = String(side.points);
  text.append(points);
  if (side.result) text.append(el("div", `battle-result ${side.result}`, side.result.toUpperCase()));
  node.append(text);
  return node;
}

function renderBattle() {
  const panel = $("battle");
  const battle = model.battle;
  panel.hidden = !battle;
  if (!battle) return;
  panel.dataset.status = battle.status;
  const status = $("battle-status");
  status.textContent =
    battle.status === "running" ? "LIVE" : battle.status === "finished" ? "FINISHED" : "ENDED";
  status.classList.toggle("is-finished", battle.status !== "running");
  const [left, right] = battle.sides;
  const sides = $("battle-sides");
  sides.replaceChildren();
  if (left) sides.append(battleSide(left, "left"));
  sides.append(el("div", "battle-vs", "VS"));
  if (right) sides.append(battleSide(right, "right"));
  const total = (left?.points || 0) + (right?.points || 0);
  $("battle-bar-left").style.width =
    `${total === 0 ? 50 : Math.min(96, Math.max(4, ((left?.points || 0) / total) * 100))}%`;
  const supporters = $("battle-supporters");
  supporters.replaceChildren();
  const anyone = (left?.supporters.length || 0) + (right?.supporters.length || 0) > 0;
  supporters.hidden = !anyone;
  if (!anyone) return;
  supporters.append(el("div", "battle-supporters-head", "Top supporters"));
  for (const [side, where] of [
    [left, "left"],
    [right, "right"],
  ]) {
    const list = el("ol", where);
    for (const s of side?.supporters || []) {
      const item = el("li");
      item.append(
        el("span", "supporter-name", s.nickname),
        el("span", "supporter-score", numberFormat.format(s.score)),
      );
      list.append(item);
    }
    supporters.append(list);
  }
}

// ------------------------------------------------------------------ header

const statusText = {
  starting: "Starting",
  connecting: "Connecting",
  connected: "Connected",
  reconnecting: "Reconnecting",
  ended: "Stream ended",
  offline: "Offline",
  waiting: "Waiting",
  error: "Error",
  stopped: "Stopped",
};

function renderStream() {
  const s = model.stream;
  if (!s) return;
  $("streamer-name").textContent = s.nickname || s.uniqueId || "…";
  $("streamer-handle").textContent = s.uniqueId ? `@${s.uniqueId}` : "";
  $("stream-title").textContent =
    s.title || (s.simulated ? "Scripted stream from the tiklive simulator" : "");
  const holder = $("streamer-avatar");
  holder.replaceWith(
    Object.assign(avatar({ id: s.uniqueId, uniqueId: s.uniqueId, nickname: s.nickname }, "lg"), {
      id: "streamer-avatar",
    }),
  );
  $("conn-stream").textContent = s.number > 0 ? `#${s.number}` : "–";
  document.body.dataset.streamEnded = s.ended ? "1" : "0";
  document.title = `${s.nickname || s.uniqueId || "tiklive"} · tiklive live dashboard`;
}

// The badge next to the streamer: the red LIVE only while connected to a running stream; before
// that (and after) a neutral word for what is happening.
const pillText = {
  starting: "Connecting",
  connecting: "Connecting",
  reconnecting: "Reconnecting",
  ended: "Ended",
  offline: "Offline",
  waiting: "Waiting",
  error: "Error",
  stopped: "Stopped",
  lost: "Offline",
};

function renderPill(status) {
  const live = status === "connected" && !model.stream?.ended;
  const pill = $("live-pill");
  pill.dataset.live = live ? "1" : "0";
  pill.textContent = live ? "LIVE" : pillText[status] || (status === "connected" ? "Ended" : status);
}

function renderConnection() {
  const c = model.connection;
  const status = serverLost ? "lost" : c ? c.status : "starting";
  document.body.dataset.status = status;
  renderPill(status);
  const box = $("conn");
  box.dataset.status = status;
  $("conn-status").textContent = serverLost ? "Demo server lost" : statusText[status] || status;
  if (c) {
    $("conn-transport").textContent = c.transport || "–";
    $("conn-reconnects").textContent = String(c.reconnects);
    $("conn-mode").textContent = c.mode === "simulator" ? "simulator" : "TikTok";
  }
  const banner = $("banner");
  const showBanner =
    serverLost || (c && c.status !== "connected" && c.status !== "starting" && c.status !== "connecting");
  banner.hidden = !showBanner;
  if (showBanner) {
    $("banner-text").textContent = serverLost
      ? "Lost the connection to the demo server; retrying…"
      : `${statusText[c.status] || c.status}${c.detail ? ` · ${c.detail}` : ""}`;
    $("banner-error").textContent =
      !serverLost && c.lastError ? `${c.lastError.code}: ${c.lastError.message}` : "";
  }
}

function tickClock() {
  const s = model.stream;
  const on = s && s.number > 0 && !s.ended && model.connection && model.connection.status === "connected";
  if (s && s.number > 0)
    $("conn-uptime").textContent =
      on || s.ended ? duration((s.ended ? model.endedAt || Date.now() : Date.now()) - s.startedAt) : "0:00";
}

// ------------------------------------------------------------------ viewer chart

const chart = $("viewer-chart");

function niceStep(range, ticks) {
  const raw = range / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10) * power;
}

// The chart's size comes from a ResizeObserver, so drawing never forces a layout.
let chartWidth = 0;
let chartHeight = 0;

function renderChart() {
  const width = chartWidth;
  const height = chartHeight;
  if (width === 0 || height === 0) return;
  const points = model.viewers.filter((p) => p[0] >= (model.viewers.at(-1)?.[0] ?? 0) - 15 * 60_000);
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  chart.dataset.points = String(points.length);
  chart.replaceChildren();
  const defs = svgEl("defs", {});
  const gradient = svgEl("linearGradient", { id: "chart-fill", x1: 0, y1: 0, x2: 0, y2: 1 });
  gradient.append(
    svgEl("stop", { offset: "0%", "stop-color": "#25f4ee", "stop-opacity": 0.32 }),
    svgEl("stop", { offset: "100%", "stop-color": "#25f4ee", "stop-opacity": 0 }),
  );
  defs.append(gradient);
  chart.append(defs);
  const note = $("chart-note");
  if (points.length < 2) {
    chart.append(
      svgEl(
        "text",
        { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" },
        points.length === 0
          ? "Waiting for the first viewer count…"
          : `${numberFormat.format(points[0][1])} viewers`,
      ),
    );
    note.textContent = "waiting for data";
    return;
  }
  const left = 44;
  const right = 58;
  const top = 12;
  const bottom = 22;
  const t0 = points[0][0];
  const t1 = points[points.length - 1][0];
  let lo = Math.min(...points.map((p) => p[1]));
  let hi = Math.max(...points.map((p) => p[1]));
  const pad = Math.max(2, (hi - lo) * 0.15);
  const step = niceStep(hi - lo + 2 * pad, 4);
  lo = Math.max(0, Math.floor((lo - pad) / step) * step);
  hi = Math.ceil((hi + pad) / step) * step;
  const x = (t) => left + ((t - t0) / Math.max(1, t1 - t0)) * (width - left - right);
  const y = (v) => top + (1 - (v - lo) / Math.max(1, hi - lo)) * (height - top - bottom);

  for (let v = lo; v <= hi + step / 2; v += step) {
    chart.append(svgEl("line", { x1: left, x2: width - right + 8, y1: y(v), y2: y(v), class: "grid-line" }));
    chart.append(
      svgEl(
        "text",
        { x: left - 8, y: y(v) + 3.5, "text-anchor": "end", class: "axis-label" },
        compactFormat.format(v),
      ),
    );
  }
  const labels = [t0, t0 + (t1 - t0) / 2, t1];
  labels.forEach((t, i) => {
    chart.append(
      svgEl(
        "text",
        {
          x: x(t),
          y: height - 5,
          "text-anchor": i === 0 ? "start" : i === 2 ? "end" : "middle",
          class: "axis-label",
        },
        clock(t),
      ),
    );
  });
  const line = points
    .map((p, i) => `${i === 0 ? "M" : "L"}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`)
    .join("");
  const base = y(lo).toFixed(1);
  chart.append(
    svgEl("path", { d: `${line}L${x(t1).toFixed(1)},${base}L${x(t0).toFixed(1)},${base}Z`, class: "area" }),
  );
  chart.append(svgEl("path", { d: line, class: "series" }));
  const last = points[points.length - 1];
  chart.append(svgEl("circle", { cx: x(last[0]), cy: y(last[1]), r: 4.5, class: "head" }));
  chart.append(
    svgEl(
      "text",
      { x: x(last[0]) + 9, y: y(last[1]) + 4, class: "head-label" },
      numberFormat.format(last[1]),
    ),
  );
  const first = points[0][1];
  const change = last[1] - first;
  note.textContent = `${change >= 0 ? "+" : ""}${numberFormat.format(change)} since ${clock(t0)} · peak ${numberFormat.format(model.counters?.peakViewers ?? hi)}`;
}

new ResizeObserver((entries) => {
  const box = entries[entries.length - 1].contentRect;
  chartWidth = Math.round(box.width);
  chartHeight = Math.round(box.height);
  pending.chart = true;
  schedule();
}).observe(chart);

// ------------------------------------------------------------------ frame

function render() {
  frameRequested = false;
  if (pending.stream) {
    if (model.stream?.ended && !model.endedAt) model.endedAt = Date.now();
    if (model.stream && !model.stream.ended) model.endedAt = 0;
    renderStream();
  }
  if (pending.connection || pending.stream) renderConnection();
  if (pending.pinned) renderPinned(); // first: it changes the chat's height
  renderChat();
  if (pending.full || pending.giftsFull || pending.gifts.size > 0) renderGifts();
  if (pending.full || pending.activity.length > 0) renderActivity();
  if (pending.counters) renderCounters();
  if (pending.top) renderTop();
  if (pending.battle) renderBattle();
  if (pending.chart) renderChart();
  pending.full = false;
  for (const key of ["counters", "chart", "top", "battle", "connection", "stream", "pinned"])
    pending[key] = false;
  document.body.dataset.seq = String(model.seq);
  tickClock();
  followChat();
}

// ------------------------------------------------------------------ event stream

const events = new EventSource("/events");
events.addEventListener("snapshot", (e) => {
  serverLost = false;
  applySnapshot(JSON.parse(e.data));
  schedule();
});
events.addEventListener("batch", (e) => {
  applyBatch(JSON.parse(e.data));
  schedule();
});
events.addEventListener("error", () => {
  // EventSource reconnects by itself (retry: 2000); the next snapshot clears this.
  serverLost = events.readyState !== EventSource.OPEN;
  pending.connection = true;
  schedule();
});
setInterval(tickClock, 1000);
