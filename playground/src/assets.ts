/**
 * Every OpenGameArt asset the game uses, in one place: the `oga:` imports and the credits they
 * need. The plugin downloads each file once, caches it and gives back a URL that follows `base`.
 */
import music, { meta as musicMeta } from "oga:battle-theme-a";
import { meta as spritesMeta } from "oga:tiny-sprites";
import sprites from "oga:tiny-sprites/*.png";
import tileset, { meta as tilesetMeta } from "oga:dungeon-tileset";
import effects from "oga:retro-sfx-pack/*.wav";
import { meta as effectsMeta } from "oga:retro-sfx-pack";
import type { Credit } from "./credits.js";

/** The main file of Battle Theme A (its MP3). */
export const musicUrl: string = music;

export const spriteUrls = {
  hero: sprites["hero_16.png"],
  gem: sprites["slime_32.png"],
  boss: sprites["boss_64x48.png"],
  tiles: tileset,
};

export const effectUrls = {
  pickup: effects["coin.wav"],
  jump: effects["jump.wav"],
  caught: effects["explosion.wav"],
};

type Meta = typeof musicMeta;

/** Until `oga:credits` exists (issue 5), credits come from each import's `meta`. */
export const credits: Credit[] = [musicMeta, spritesMeta, tilesetMeta, effectsMeta].map(creditFromMeta);

function creditFromMeta(meta: Meta): Credit {
  return {
    id: meta.id,
    title: meta.title,
    pageUrl: meta.pageUrl,
    author: { name: meta.author.name, url: meta.author.url },
    // The asset may be used under any one of its licenses; list them all until a policy picks one.
    license: meta.licenses.join(" / "),
    attribution: meta.attribution,
  };
}
