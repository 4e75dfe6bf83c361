/** Wires the game to the page: loading, input, the loop, music and the credits screen. */
import credits from "oga:credits";
import { effectUrls, musicUrl, spriteUrls } from "./assets.js";
import { renderCredits, type Credit } from "./credits.js";
import { Game, type Input } from "./game.js";
import { SoundBoard } from "./sound.js";
import { loadImages } from "./sprites.js";

/** What the browser test inspects: the loaded media and the live `oga:credits` array. */
export interface GameHandle {
  images: HTMLImageElement[];
  music: HTMLAudioElement;
  effects: HTMLAudioElement[];
  credits: readonly Credit[];
}

declare global {
  interface Window {
    __game?: GameHandle;
  }
}

function element<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html has no <${type.name}> #${id}`);
  return found;
}

const canvas = element("stage", HTMLCanvasElement);
const music = element("music", HTMLAudioElement);
const musicToggle = element("music-toggle", HTMLButtonElement);
const creditsScreen = element("credits", HTMLElement);
const creditsToggle = element("credits-toggle", HTMLButtonElement);
const score = element("score", HTMLSpanElement);

function setUpMusic(): void {
  music.src = musicUrl;
  music.volume = 0.4;
  // Browsers may refuse to start audio before a gesture, so playback is always the player's choice.
  musicToggle.addEventListener("click", () => {
    if (music.paused) music.play().catch((error: unknown) => console.warn("music did not start:", error));
    else music.pause();
  });
  const label = (): void => {
    musicToggle.textContent = music.paused ? "▶ Play music" : "❚❚ Pause music";
  };
  music.addEventListener("play", label);
  music.addEventListener("pause", label);
}

function setUpCredits(): void {
  const list = element("credits-list", HTMLUListElement);
  const toggle = (): void => {
    // Rendered on every show: in dev the plugin refills `credits` in place as assets load.
    if (creditsScreen.hidden) renderCredits(list, credits);
    creditsScreen.hidden = !creditsScreen.hidden;
    creditsToggle.textContent = creditsScreen.hidden ? "Credits" : "Back to game";
  };
  creditsToggle.addEventListener("click", toggle);
  addEventListener("keydown", (event) => {
    if (event.key.toLowerCase() === "c") toggle();
  });
}

function trackInput(sounds: SoundBoard<keyof typeof effectUrls>): Input {
  const keys = new Set<string>();
  const input: { keys: Set<string>; target: Input["target"] } = { keys, target: null };
  addEventListener("keydown", (event) => {
    const key = event.key.toLowerCase();
    if (key === " ") {
      event.preventDefault(); // no page scroll, no click on a focused button
      // A drum hit from the Imminent Threat zip pack.
      if (!event.repeat) sounds.play("beat");
      return;
    }
    keys.add(key);
    input.target = null;
  });
  addEventListener("keyup", (event) => keys.delete(event.key.toLowerCase()));
  addEventListener("blur", () => keys.clear());
  canvas.addEventListener("pointerdown", (event) => {
    // The canvas is scaled by CSS; convert to its own pixel grid.
    const box = canvas.getBoundingClientRect();
    input.target = {
      x: ((event.clientX - box.left) / box.width) * canvas.width,
      y: ((event.clientY - box.top) / box.height) * canvas.height,
    };
    sounds.play("jump");
  });
  return input;
}

async function start(): Promise<void> {
  setUpMusic();
  setUpCredits();
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2D canvas context");
  const sprites = await loadImages(spriteUrls);
  const sounds = new SoundBoard(effectUrls);
  const input = trackInput(sounds);
  const game = new Game(canvas.width, canvas.height);
  window.__game = { images: Object.values(sprites), music, effects: sounds.elements, credits };

  let last = performance.now();
  const frame = (now: number): void => {
    // Clamp the step so a background tab does not teleport the boss onto the hero.
    const seconds = Math.min((now - last) / 1000, 0.1);
    last = now;
    const events = game.update(seconds, input);
    if (events.picked > 0) sounds.play("pickup");
    if (events.caught) sounds.play("caught");
    score.textContent = `Score: ${game.score}`;
    game.draw(ctx, sprites, now / 1000);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

start().catch((error: unknown) => {
  console.error(error);
  document.body.prepend(Object.assign(document.createElement("p"), { className: "error", textContent: String(error) }));
});
