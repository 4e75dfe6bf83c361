/**
 * The hand-written part of the catalogue: one asset per quirk of the live site that the
 * parser, the cache or the plugin must cope with. Filler assets for paging come from filler.ts.
 */
import type { ReplicaAssetDef, ReplicaUser } from "./catalogue.js";
import { fakeOgg, png, seedOf, silentMp3, wav } from "./media.js";
import { zip } from "./zip.js";

/** Post dates are given in the site's zone (US Eastern); this turns them into instants. */
export function eastern(year: number, month: number, day: number, hour: number, minute: number): Date {
  // Eastern is UTC-4 in summer (2nd Sunday of March to 1st Sunday of November), UTC-5 otherwise.
  // Month-level precision is enough for the dates used here, none of which falls on a switch week.
  const summer = month > 3 && month < 11;
  return new Date(Date.UTC(year, month - 1, day, hour + (summer ? 4 : 5), minute));
}

export const USERS = {
  cynicmusic: { name: "cynicmusic", slug: "cynicmusic" },
  matthewPablo: { name: "matthew.pablo", slug: "matthewpablo" },
  muwee: { name: "The Muwee Collective", slug: "the-muwee-collective" },
  kenney: { name: "Kenney", slug: "kenney" },
  bart: { name: "Bart K.", slug: "bart" },
  eliza: { name: "Eliza Wyatt", slug: "elizawy" },
  lamoot: { name: "Lamoot", slug: "lamoot" },
  remixer: { name: "Zane Little Music", slug: "zane-little-music" },
} satisfies Record<string, ReplicaUser>;

const ogg = (name: string, size = 4096): Uint8Array => fakeOgg(seedOf(name), size);

function imminentThreatPack(): Uint8Array {
  const root = "Imminent Threat Collection";
  return zip([
    { name: `${root}/` },
    { name: `${root}/OGG/` },
    { name: `${root}/OGG/Imminent Threat Beat 1.ogg`, data: ogg("beat1", 6000), method: "store" },
    { name: `${root}/OGG/Imminent Threat Beat 2.ogg`, data: ogg("beat2", 6000), method: "store" },
    { name: `${root}/OGG/Loops/` },
    { name: `${root}/OGG/Loops/Imminent Threat Loop.ogg`, data: ogg("loop", 3000), method: "store" },
    { name: `${root}/WAV/` },
    { name: `${root}/WAV/Imminent Threat Beat 1.wav`, data: wav(300, 110), method: "deflate" },
    { name: `${root}/.DS_Store`, data: Buffer.from("\0\0\0\x01Bud1\0\0\0\0") },
    { name: `${root}/Read Me.txt`, data: Buffer.from("Imminent Threat by Matthew Pablo\nhttp://www.matthewpablo.com\nLicense: CC-BY 3.0\n") },
    { name: "__MACOSX/" },
    { name: `__MACOSX/${root}/` },
    { name: `__MACOSX/${root}/._.DS_Store`, data: Buffer.from("\0\x05\x16\x07\0\x02\0\0Mac OS X        ") },
    { name: `__MACOSX/${root}/OGG/._Imminent Threat Beat 1.ogg`, data: Buffer.from("\0\x05\x16\x07\0\x02\0\0Mac OS X        ") },
  ]);
}

function creditsZip(): Uint8Array {
  return zip([{ name: "CREDITS.txt", data: Buffer.from("Sounds: Bart K. (CC-BY-SA 3.0)\nMusic: cynicmusic (CC0)\n") }]);
}

const sprite = (w: number, h: number, name: string, shape: Parameters<typeof png>[3]) => () => png(w, h, seedOf(name), shape);

export const NAMED_ASSETS: readonly ReplicaAssetDef[] = [
  {
    slug: "battle-theme-a",
    nodeId: 1227,
    title: "Battle Theme A",
    type: "Music",
    submitter: USERS.cynicmusic,
    author: { kind: "submitter" },
    postedAt: eastern(2012, 6, 29, 14, 51),
    tags: ["Battle", "epic", "RPG", "orchestral"],
    licenses: ["CC0", "CC-BY 3.0"],
    description:
      "<p>A battle theme for an RPG, looping, with an <strong>epic</strong> brass section.</p><p>Made in Reason 4.</p>",
    attribution: "Credit: cynicmusic / link back to <a href='http://cynicmusic.com'>cynicmusic.com</a>",
    favorites: 254,
    views: 48_210,
    previews: ["battleThemeA.mp3"],
    files: [
      { path: "battleThemeA.mp3", body: () => silentMp3(2), downloads: 12_345 },
      { path: "battleThemeA.ogg", body: () => ogg("battleThemeA.ogg", 20_480), downloads: 8_021 },
    ],
    comments: 120,
  },
  {
    slug: "imminent-threat",
    nodeId: 17_632,
    title: "Imminent Threat",
    type: "Music",
    submitter: USERS.matthewPablo,
    author: { kind: "link", name: "Matthew Pablo", url: "http://www.matthewpablo.com/" },
    postedAt: eastern(2013, 4, 9, 21, 3),
    tags: ["Battle", "metal gear", "action", "orchestral"],
    licenses: ["CC-BY 3.0"],
    description: "<p>Tense action music in three beats and a loop.</p><p>Please credit me if you use it!</p>",
    attribution: "Music by Matthew Pablo, http://www.matthewpablo.com",
    copyrightNotice: "Copyright &copy; 2013 Matthew Pablo",
    favorites: 180,
    views: 30_400,
    previews: ["imminent_threat_beat1.ogg"],
    files: [
      { path: "imminent_threat_beat1.ogg", body: () => ogg("imminent_threat_beat1.ogg", 12_000), downloads: 4_410 },
      { path: "imminent_threat_beat2.ogg", body: () => ogg("imminent_threat_beat2.ogg", 12_500), downloads: 3_977 },
      { path: "imminent_threat_loop.ogg", body: () => ogg("imminent_threat_loop.ogg", 8_000), downloads: 2_001 },
      { path: "musicpacks/Imminent Threat Collection.zip", body: imminentThreatPack, downloads: 6_543 },
    ],
    comments: 7,
  },
  {
    slug: "forest-ambience",
    title: "Forest Ambience",
    type: "Sound Effect",
    submitter: USERS.muwee,
    author: { kind: "text", name: "Jane Q. Recordist" },
    postedAt: eastern(2015, 10, 2, 9, 30),
    tags: ["ambience", "forest", "nature"],
    licenses: ["OGA-BY 3.0"],
    description: "<p>Birds and wind, recorded in the field by a friend of ours.</p>",
    attribution: "Recorded by Jane Q. Recordist, uploaded by The Muwee Collective",
    favorites: 31,
    views: 2_904,
    files: [{ path: "forest_ambience.wav", body: () => wav(1000, 220), downloads: 640 }],
  },
  {
    slug: "strange-file-names",
    title: "Strange File Names Pack",
    type: "Sound Effect",
    submitter: USERS.bart,
    postedAt: eastern(2016, 2, 14, 23, 59),
    tags: ["sfx", "misc"],
    licenses: ["CC-BY-SA 3.0", "GPL 3.0"],
    description: "<p>Sounds whose file names test every URL quirk of the files directory.</p>",
    attribution: "Bart K., opengameart.org/users/bart",
    favorites: 12,
    views: 1_203,
    files: [
      { path: "Hit Sound!.wav", body: () => wav(120, 880), downloads: 77 },
      { path: "sprite sheet [v2].png", body: sprite(48, 16, "sheet", "checker"), downloads: 51 },
      { path: "Café Théme – ñandú.ogg", body: () => ogg("cafe", 5000), downloads: 20 },
      {
        path: "strange_soundtrack_full.ogg",
        describedAs: "Full soundtrack (OGG, 44.1 kHz)",
        body: () => ogg("strange_soundtrack_full.ogg", 9000),
        downloads: 33,
      },
      { path: "CREDITS.txt_.zip", body: creditsZip, downloads: 14 },
    ],
  },
  {
    slug: "battle-theme-a-remix",
    title: "Battle Theme A (Remix)",
    type: "Music",
    submitter: USERS.remixer,
    author: { kind: "submitter" },
    postedAt: eastern(2018, 8, 1, 10, 5),
    tags: ["Battle", "remix"],
    licenses: ["CC-BY 4.0"],
    description: "<p>A remix of cynicmusic's <a href=\"/content/battle-theme-a\">Battle Theme A</a>.</p>",
    attribution: "Remix by Zane Little Music, original by cynicmusic",
    favorites: 9,
    views: 880,
    // The live site links files absolutely; this asset keeps root-relative links so the
    // parser's relative-URL path is exercised.
    fileHrefs: "relative",
    files: [
      // Same upload name as battle-theme-a's file: the shared directory stored it as _0.
      { path: "battleThemeA_0.mp3", label: "battleThemeA.mp3", body: () => silentMp3(1), downloads: 301 },
      { path: "remix_notes_59.txt", label: "remix_notes.txt", body: Buffer.from("Tempo 140, key D minor.\n"), downloads: 12 },
    ],
  },
  {
    slug: "withdrawn-tracks",
    title: "Withdrawn Tracks",
    type: "Music",
    submitter: USERS.lamoot,
    postedAt: eastern(2011, 1, 20, 8, 0),
    tags: ["chiptune"],
    licenses: ["GPL 2.0"],
    description: "<p>These tracks were taken down pending a license review.</p>",
    favorites: 4,
    views: 650,
    filesUnavailable: true,
  },
  {
    slug: "tiny-sprites",
    title: "Tiny Sprites",
    type: "2D Art",
    submitter: USERS.kenney,
    postedAt: eastern(2019, 7, 12, 16, 20),
    tags: ["sprites", "pixel art", "character"],
    licenses: ["CC0"],
    description: "<p>A hero, a slime and a boss, in three sizes. No credit needed.</p>",
    favorites: 410,
    views: 70_112,
    previews: ["hero_16.png", "boss_64x48.png"],
    files: [
      { path: "hero_16.png", body: sprite(16, 16, "hero", "circle"), downloads: 9_000 },
      { path: "slime_32.png", body: sprite(32, 32, "slime", "diamond"), downloads: 7_500 },
      { path: "boss_64x48.png", body: sprite(64, 48, "boss", "circle"), downloads: 5_100 },
    ],
  },
  {
    slug: "dungeon-tileset",
    title: "Dungeon Tileset",
    type: "Texture",
    submitter: USERS.eliza,
    postedAt: eastern(2014, 12, 3, 11, 45),
    tags: ["tileset", "dungeon", "pixel art"],
    licenses: ["CC-BY-SA 3.0", "GPL 3.0"],
    description: "<p>16&times;16 dungeon tiles, 8 by 4.</p>",
    attribution: "Eliza Wyatt (elizawy) — please link to this page",
    favorites: 95,
    views: 15_040,
    previews: ["dungeon_tileset.png"],
    files: [{ path: "dungeon_tileset.png", body: sprite(128, 64, "dungeon", "tiles"), downloads: 3_210 }],
  },
  {
    slug: "retro-sfx-pack",
    title: "Retro SFX Pack",
    type: "Sound Effect",
    submitter: USERS.bart,
    postedAt: eastern(2017, 5, 5, 19, 12),
    tags: ["sfx", "retro", "8-bit"],
    licenses: ["CC-BY 4.0"],
    description: "<p>Jump, coin and explosion.</p>",
    attribution: "Sounds by Bart K.",
    favorites: 77,
    views: 9_999,
    files: [
      { path: "jump.wav", body: () => wav(150, 660), downloads: 1_500 },
      { path: "coin.wav", body: () => wav(200, 1320), downloads: 1_400 },
      { path: "explosion.wav", body: () => wav(400, 60), downloads: 1_300 },
    ],
  },
  {
    slug: "música-de-batalla",
    title: "Música de batalla",
    type: "Music",
    submitter: USERS.lamoot,
    postedAt: eastern(2010, 9, 17, 7, 7),
    tags: ["Battle", "guitarra"],
    licenses: ["CC-BY-SA 4.0"],
    description: "<p>Una pieza corta para combates.</p>",
    attribution: "Lamoot",
    favorites: 18,
    views: 3_030,
    files: [{ path: "musica_batalla.mp3", body: () => silentMp3(1), downloads: 240 }],
  },
  {
    slug: "mirror-hosted-track",
    title: "Mirror Hosted Track",
    type: "Music",
    submitter: USERS.cynicmusic,
    postedAt: eastern(2021, 3, 3, 3, 3),
    tags: ["ambient"],
    licenses: ["CC0"],
    description: "<p>Its file link points at another host: a client must refuse to follow it.</p>",
    favorites: 2,
    views: 120,
    files: [{ path: "mirror_track.ogg", host: "http://files.elsewhere.test", body: () => ogg("mirror", 4000), downloads: 3 }],
  },
  {
    slug: "best-orchestral-music",
    kind: "collection",
    title: "Best Orchestral Music",
    submitter: USERS.eliza,
    postedAt: eastern(2016, 6, 1, 12, 0),
    description: "<p>My favourite orchestral tracks.</p>",
    members: ["battle-theme-a", "imminent-threat", "música-de-batalla"],
  },
  {
    slug: "playground-picks",
    kind: "collection",
    title: "Playground Picks",
    submitter: USERS.kenney,
    postedAt: eastern(2020, 2, 2, 2, 2),
    description: "<p>Sprites, tiles and sounds for a small demo game.</p>",
    members: ["tiny-sprites", "dungeon-tileset", "retro-sfx-pack", "battle-theme-a"],
  },
];
