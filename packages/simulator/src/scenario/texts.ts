// Chat lines and other texts of the built-in scenarios. Emoji (incl. ZWJ
// sequences and flags), right-to-left scripts, CJK, combining marks and a long
// comment are there on purpose: real rooms are full of them.

/** A chat line and its `contentLanguage`. */
export interface ChatLine {
  readonly text: string;
  readonly language: string;
}

const longComment =
  "ok so I have been watching every single stream this week and I just want to say that the way you explain things " +
  "is honestly the best on this app, I learned more here than in a whole semester of classes 😅 also can you please do " +
  "the recipe from Tuesday again because my sister missed it and she keeps asking me about it every day lol 🙏🙏🙏 " +
  "greetings from Lisbon, Porto, and my grandma who is also watching right now 👵❤️";

/** Chat lines of the built-in scenarios. */
export const chatLines: readonly ChatLine[] = Object.freeze([
  { text: "hello from Berlin 👋", language: "en" },
  { text: "first time here!", language: "en" },
  { text: "🔥🔥🔥", language: "un" },
  { text: "love this stream ❤️", language: "en" },
  { text: "مرحبا بالجميع 👋 من القاهرة", language: "ar" },
  { text: "שלום מתל אביב", language: "he" },
  { text: "こんにちは！日本から見てます", language: "ja" },
  { text: "안녕하세요~ 처음 왔어요", language: "ko" },
  { text: "Привет из Москвы!", language: "ru" },
  { text: "hola desde México 🇲🇽", language: "es" },
  { text: "olá do Brasil 🇧🇷🇧🇷", language: "pt" },
  { text: "what game is this?", language: "en" },
  { text: "can you say hi to my mom?", language: "en" },
  { text: "LOL 😂😂😂", language: "en" },
  { text: "👑👑👑", language: "un" },
  { text: "GG", language: "en" },
  { text: "that was insane", language: "en" },
  { text: "🧜‍♀️🌸 mermaid gang 🌸🧜‍♀️", language: "en" },
  { text: "I said مرحبا and she said שלום 😄", language: "en" },
  { text: "ñandú, café, naïve, Zürich", language: "es" },
  { text: "𝓯𝓪𝓷𝓬𝔂 𝓽𝓮𝔁𝓽 𝓰𝓪𝓷𝓰", language: "en" },
  { text: "🏳️‍🌈🏳️‍⚧️👨‍👩‍👧‍👦", language: "un" },
  { text: "नमस्ते भारत से 🙏", language: "hi" },
  { text: "加油！", language: "zh" },
  { text: "sigma sigma on the wall 💀", language: "en" },
  { text: "who else is here from the FYP?", language: "en" },
  { text: "tap tap tap ❤️❤️❤️", language: "en" },
  { text: longComment, language: "en" },
  { text: "   spaces   around   ", language: "en" },
  { text: "a\u0301 e\u0301 combining marks", language: "en" },
] as const satisfies readonly ChatLine[]);

/** Questions for the Q&A beat. */
export const questions: readonly string[] = Object.freeze([
  "What camera do you use?",
  "When is the next stream?",
  "¿Cuántos años tienes?",
  "Can you play my song request? 🎵",
]);

/** Live captions, each with a partial and a final version. */
export const captions: readonly string[] = Object.freeze([
  "Thank you so much for the roses",
  "Okay let's start the battle now",
  "Don't forget to follow",
]);

/** Poll titles and options. */
export const polls: readonly { title: string; options: readonly string[] }[] = Object.freeze([
  { title: "Pizza or burger?", options: ["🍕", "🍔"] },
  { title: "Next game?", options: ["Minecraft", "Fortnite", "Roblox"] },
]);

/** Room intros (the host's LIVE description). */
export const intros: readonly ChatLine[] = Object.freeze([
  { text: "Chill stream 🎮 rules: be kind, no spam. Goal: 500 roses 🌹", language: "en" },
  { text: "VAMOS CON TODO A CRECER🥰", language: "es" },
  { text: "Cooking live 🍳 ask me anything!", language: "en" },
]);

/** The welcome notice every room starts with. */
export const welcomeNotice =
  "Welcome to TikTok LIVE! Have fun interacting with others in real time. Creators must be 18 or older to go LIVE. Viewers must be 18 or older to recharge and send Gifts. Remember to follow our Community Guidelines.";
