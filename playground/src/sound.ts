/**
 * Short sound effects through HTML audio. Web Audio would mix better, but it needs a fetch, a
 * decode per file and a resumed AudioContext; for a handful of short WAVs this is enough.
 */
export class SoundBoard<K extends string> {
  readonly #sources: Record<K, HTMLAudioElement>;

  constructor(urls: Readonly<Record<K, string>>) {
    const entries = (Object.keys(urls) as K[]).map((name) => {
      const audio = new Audio(urls[name]);
      // Small files: load them now so the first pickup is not silent while the WAV downloads.
      audio.preload = "auto";
      return [name, audio] as const;
    });
    this.#sources = Object.fromEntries(entries) as Record<K, HTMLAudioElement>;
  }

  /** The preloaded elements, for the browser test to check that every effect loads. */
  get elements(): HTMLAudioElement[] {
    return Object.values<HTMLAudioElement>(this.#sources);
  }

  play(name: K): void {
    // A clone lets the same effect overlap itself.
    const voice = this.#sources[name].cloneNode() as HTMLAudioElement;
    voice.volume = 0.5;
    // Autoplay policy can refuse playback before the first gesture; a missed blip is harmless.
    voice.play().catch(() => undefined);
  }
}
