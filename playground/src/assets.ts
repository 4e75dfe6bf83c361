/**
 * Every OpenGameArt asset the game uses, in one place. The plugin downloads each file once,
 * caches it and gives back a URL that follows `base`; the credits screen reads `oga:credits`,
 * which lists whatever these imports put in the bundle, so nothing here repeats who made what.
 */
import music from "oga:battle-theme-a";
import sprites from "oga:tiny-sprites/*.png";
import tileset from "oga:dungeon-tileset";
import effects from "oga:retro-sfx-pack/*.wav";
// Two zip packs, read as folders: only these entries are extracted and emitted, never the zips.
import dungeonTiles from "oga:dungeon-pack/tiles.zip/png/*.png";
import beat from "oga:imminent-threat/Imminent Threat Collection.zip/Imminent Threat Collection/WAV/Imminent Threat Beat 1.wav";

/** The main file of Battle Theme A (its MP3). */
export const musicUrl: string = music;

export const spriteUrls = {
  hero: sprites["hero_16.png"],
  gem: sprites["slime_32.png"],
  boss: sprites["boss_64x48.png"],
  tiles: tileset,
  // Glob keys are paths inside the asset, zip name included.
  wall: dungeonTiles["tiles.zip/png/wall.png"],
  door: dungeonTiles["tiles.zip/png/door (open).png"],
};

export const effectUrls = {
  pickup: effects["coin.wav"],
  jump: effects["jump.wav"],
  caught: effects["explosion.wav"],
  beat,
};
